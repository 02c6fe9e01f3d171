// KeyRegistry: API keys and the accounts they act for, kept in memory and persisted in the gateway's
// store; every change is audited (audit-log.ts). A new key is read-only unless granted more. Ed25519 keys
// hold the trader's public key only; HMAC keys hold a shared secret the registry generates and returns
// once, at creation. Nothing here logs a secret; `describe()` is the safe view of a key.

import { randomBytes, type KeyObject } from 'node:crypto';
import type { Store } from '../../persistence/store.js';
import type { Scope } from '../protocol/messages.js';
import { SCOPES } from '../protocol/messages.js';
import { AuditLog, type AuditEntry } from './audit-log.js';
import { accountKey, apiKeyKey, Family, familyRange } from './gateway-keys.js';
import { ed25519PublicKey, type KeyAlgorithm } from './signing.js';

const DEFAULT_RECV_WINDOW_MS = 5_000;
const MAX_RECV_WINDOW_MS = 60_000;

export interface ApiKey {
  readonly keyId: string;
  readonly accountId: number;
  readonly alg: KeyAlgorithm;
  /** Ed25519: the 32-byte public key; HMAC: the shared secret. */
  readonly material: Uint8Array;
  readonly scopes: readonly Scope[];
  /** Addresses the key may be used from (exact match); empty: any. */
  readonly ipAllowlist: readonly string[];
  /** Every signable request must be signed, not only the login. */
  readonly signOrders: boolean;
  readonly recvWindowMs: number;
  readonly createdUs: number;
  readonly revoked: boolean;
}

export interface NewKey {
  readonly accountId: number;
  readonly alg?: KeyAlgorithm;
  /** Ed25519 only: the trader's 32-byte public key. */
  readonly publicKey?: Uint8Array;
  readonly scopes?: readonly Scope[];
  readonly ipAllowlist?: readonly string[];
  readonly signOrders?: boolean;
  readonly recvWindowMs?: number;
}

interface StoredKey extends Omit<ApiKey, 'material'> {
  readonly material: string;
}

const toJson = (k: ApiKey): Uint8Array => Buffer.from(JSON.stringify({ ...k, material: Buffer.from(k.material).toString('base64') } satisfies StoredKey), 'utf8');
const fromJson = (b: Uint8Array): ApiKey => {
  const s = JSON.parse(Buffer.from(b).toString('utf8')) as StoredKey;
  return { ...s, material: new Uint8Array(Buffer.from(s.material, 'base64')) };
};

export class KeyRegistry {
  private readonly keys = new Map<string, ApiKey>();
  /** Told of every change to a key once it is stored (the gateway ends the sessions a change locks out). */
  onChange: ((k: ApiKey) => void) | undefined;
  private readonly publicKeys = new Map<string, KeyObject>();
  private readonly accounts = new Set<number>();
  private nextAccountId: number;

  private constructor(
    readonly audit: AuditLog,
    private readonly now: () => number,
    firstAccountId: number,
  ) {
    this.nextAccountId = firstAccountId;
  }

  static async open(store: Store, now: () => number, firstAccountId = 1): Promise<KeyRegistry> {
    const r = new KeyRegistry(await AuditLog.open(store), now, firstAccountId);
    for await (const e of store.scan(familyRange(Family.KEY))) r.remember(fromJson(e.value));
    for await (const e of store.scan(familyRange(Family.ACCOUNT))) {
      const id = new DataView(e.key.buffer, e.key.byteOffset).getUint32(1);
      r.accounts.add(id);
      r.nextAccountId = Math.max(r.nextAccountId, id + 1);
    }
    return r;
  }

  private remember(k: ApiKey): void {
    this.keys.set(k.keyId, k);
    if (k.alg === 'ed25519') this.publicKeys.set(k.keyId, ed25519PublicKey(k.material));
  }

  get(keyId: string): ApiKey | undefined {
    const k = this.keys.get(keyId);
    return k && !k.revoked ? k : undefined;
  }

  /** The verification material: a KeyObject for Ed25519, the secret for HMAC. */
  verifier(k: ApiKey): KeyObject | Uint8Array {
    return k.alg === 'ed25519' ? this.publicKeys.get(k.keyId)! : k.material;
  }

  hasAccount(accountId: number): boolean {
    return this.accounts.has(accountId);
  }

  /** A new account id (the next after every one known), recorded and audited. */
  async createAccount(by: string, label?: string): Promise<number> {
    const accountId = this.nextAccountId++;
    await this.audit.commit([{ type: 'put', key: accountKey(accountId), value: Buffer.from(JSON.stringify({ accountId, label, createdUs: this.now() }), 'utf8') }], { atUs: this.now(), by, action: 'createAccount', accountId, detail: label ? { label } : undefined });
    this.accounts.add(accountId);
    return accountId;
  }

  /**
   * Accounts the exchange holds state for, known from the shards at start even when this store never
   * saw them (a directory perpx-restore wrote carries the shards' state, not this store): keys can be
   * made for them, and new accounts are numbered past them, never onto another trader's money.
   */
  knowHeldAccounts(accountIds: Iterable<number>): void {
    for (const id of accountIds) {
      this.accounts.add(id);
      this.nextAccountId = Math.max(this.nextAccountId, id + 1);
    }
  }

  /** Registers an existing engine account id (for accounts made outside the gateway), audited. */
  async adoptAccount(by: string, accountId: number): Promise<void> {
    if (!Number.isInteger(accountId) || accountId < 1 || accountId > 0xffff_ffff) throw new RangeError('an account id is a u32 ≥ 1');
    if (this.accounts.has(accountId)) return;
    await this.audit.commit([{ type: 'put', key: accountKey(accountId), value: Buffer.from(JSON.stringify({ accountId, createdUs: this.now() }), 'utf8') }], { atUs: this.now(), by, action: 'adoptAccount', accountId });
    this.accounts.add(accountId);
    this.nextAccountId = Math.max(this.nextAccountId, accountId + 1);
  }

  /** A new key; returns its id and, for HMAC, the secret (shown once, never stored elsewhere or logged). */
  async createKey(by: string, n: NewKey): Promise<{ keyId: string; secret?: Uint8Array }> {
    if (!this.accounts.has(n.accountId)) throw new RangeError(`no account ${n.accountId}`);
    const alg = n.alg ?? 'ed25519';
    const scopes: Scope[] = [...new Set<Scope>(n.scopes ?? ['read'])];
    for (const s of scopes) if (!SCOPES.includes(s)) throw new RangeError(`no scope '${s}'`);
    const recvWindowMs = n.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS;
    if (!Number.isInteger(recvWindowMs) || recvWindowMs < 1 || recvWindowMs > MAX_RECV_WINDOW_MS) throw new RangeError(`recvWindowMs must be 1 to ${MAX_RECV_WINDOW_MS}`);
    let material: Uint8Array;
    if (alg === 'ed25519') {
      if (n.publicKey?.byteLength !== 32) throw new RangeError('an Ed25519 key needs the trader’s 32-byte public key');
      material = n.publicKey.slice();
    } else material = new Uint8Array(randomBytes(32));
    const keyId = `k${randomBytes(12).toString('hex')}`;
    const key: ApiKey = { keyId, accountId: n.accountId, alg, material, scopes, ipAllowlist: [...(n.ipAllowlist ?? [])], signOrders: n.signOrders ?? false, recvWindowMs, createdUs: this.now(), revoked: false };
    await this.audit.commit([{ type: 'put', key: apiKeyKey(keyId), value: toJson(key) }], { atUs: this.now(), by, action: 'createKey', accountId: n.accountId, keyId, detail: { alg, scopes, ipAllowlist: key.ipAllowlist, signOrders: key.signOrders, recvWindowMs } });
    this.remember(key);
    return alg === 'hmac-sha256' ? { keyId, secret: material } : { keyId };
  }

  private async change(by: string, keyId: string, action: string, patch: Partial<ApiKey>, detail: Record<string, unknown>): Promise<void> {
    const k = this.keys.get(keyId);
    if (k === undefined) throw new RangeError(`no key ${keyId}`);
    const next: ApiKey = { ...k, ...patch };
    await this.audit.commit([{ type: 'put', key: apiKeyKey(keyId), value: toJson(next) }], { atUs: this.now(), by, action, accountId: k.accountId, keyId, detail });
    this.remember(next);
    this.onChange?.(next);
  }

  setScopes(by: string, keyId: string, scopes: readonly Scope[]): Promise<void> {
    for (const s of scopes) if (!SCOPES.includes(s)) return Promise.reject(new RangeError(`no scope '${s}'`));
    return this.change(by, keyId, 'setScopes', { scopes: [...new Set(scopes)] }, { scopes });
  }

  setIpAllowlist(by: string, keyId: string, ips: readonly string[]): Promise<void> {
    return this.change(by, keyId, 'setIpAllowlist', { ipAllowlist: [...ips] }, { ipAllowlist: ips });
  }

  revokeKey(by: string, keyId: string): Promise<void> {
    return this.change(by, keyId, 'revokeKey', { revoked: true }, {});
  }

  /** Every key id, revoked ones included, in creation order. */
  list(): string[] {
    return [...this.keys.values()].sort((a, b) => a.createdUs - b.createdUs).map((k) => k.keyId);
  }

  /** A key without its secret, for operators and logs. */
  describe(keyId: string): Omit<ApiKey, 'material'> | undefined {
    const k = this.keys.get(keyId);
    if (k === undefined) return undefined;
    const { material: _m, ...safe } = k;
    return safe;
  }

  auditEntries(fromSeq = 1, limit = 1000): Promise<AuditEntry[]> {
    return this.audit.entries(fromSeq, limit);
  }
}
