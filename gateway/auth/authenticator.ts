// Authenticator: checks a signed request against a key: the key exists and is not revoked, the address
// is allowed, the timestamp lies within the key's receive window (either side of the server's clock), the
// signature verifies over the canonical bytes, and the nonce is fresh. Unknown key, wrong address and bad
// signature all answer AUTH_FAILED, so a probe learns nothing about which keys exist. A timestamp before
// the gateway's start is refused too: the nonces of requests signed before a restart are not remembered.

import { Code } from '../../engine/codes.js';
import type { ApiKey, KeyRegistry } from './key-registry.js';
import { NonceWindow } from './nonce-window.js';
import { canonicalBytes, verifyBytes } from './signing.js';

export interface Signed {
  readonly op: string;
  readonly keyId: string;
  readonly ts: number;
  readonly nonce: string;
  readonly sig: Uint8Array;
  readonly fields: Readonly<Record<string, unknown>>;
}

export type AuthResult = { ok: true; key: ApiKey } | { ok: false; code: number; message: string };

export class Authenticator {
  private readonly nonces = new NonceWindow();
  /** Refusals by code, for metrics. */
  readonly refused = new Map<number, number>();
  /**
   * The nonce memory starts empty with the process, so nothing signed before it started is accepted: a
   * request captured before a restart cannot be replayed after it, whatever its window.
   */
  private readonly notBeforeUs: number;

  constructor(
    readonly keys: KeyRegistry,
    private readonly nowUs: () => number,
  ) {
    this.notBeforeUs = nowUs();
  }

  private refuse(code: number, message: string): AuthResult {
    this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
    return { ok: false, code, message };
  }

  check(s: Signed, ip: string): AuthResult {
    const key = this.keys.get(s.keyId);
    if (key === undefined || (key.ipAllowlist.length > 0 && !key.ipAllowlist.includes(ip))) return this.refuse(Code.AUTH_FAILED, 'authentication failed');
    const now = this.nowUs();
    const windowUs = key.recvWindowMs * 1000;
    if (s.ts < now - windowUs || s.ts > now + windowUs) return this.refuse(Code.TIMESTAMP_OUTSIDE_WINDOW, `ts must be within ${key.recvWindowMs} ms of the server's clock (${now} µs)`);
    if (s.ts < this.notBeforeUs) return this.refuse(Code.TIMESTAMP_OUTSIDE_WINDOW, `ts must not be before the gateway started (${this.notBeforeUs} µs): sign again`);
    if (!verifyBytes(key.alg, this.keys.verifier(key), canonicalBytes(s.op, s.keyId, s.ts, s.nonce, s.fields), s.sig)) return this.refuse(Code.AUTH_FAILED, 'authentication failed');
    // The nonce is spent only by a valid signature: a forger cannot burn a trader's nonces.
    if (!this.nonces.use(s.keyId, s.nonce, s.ts, now, windowUs)) return this.refuse(Code.NONCE_REPLAYED, 'nonce already used within the receive window');
    return { ok: true, key };
  }
}
