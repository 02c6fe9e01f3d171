// Canonical signing bytes: what a key signs, built from the request's values, never from its msgpack
// bytes (two encoders may write the same map differently: key order, int widths). UTF-8 text, lines
// joined by '\n':
//
//   perpx-v1
//   <op>
//   <keyId>
//   <ts>                 µs since the Unix epoch, decimal
//   <nonce>
//   <name>=<value>       one line per other field, names sorted (code-unit order); nested maps and arrays
//                        flattened as a.b=… and a[0].b=…; integers decimal, booleans true/false, binary hex
//
// The fields left out are op, id, ts, nonce, sig (and for login, keyId). The client SDK builds the same
// bytes with the same function (gateway/client/ imports it).

import { createHmac, createPrivateKey, createPublicKey, sign as edSign, timingSafeEqual, verify as edVerify, type KeyObject } from 'node:crypto';

const LEFT_OUT = new Set(['op', 'id', 'ts', 'nonce', 'sig', 'keyId']);

function flatten(prefix: string, v: unknown, out: string[]): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => flatten(`${prefix}[${i}]`, x, out));
  } else if (v instanceof Uint8Array) {
    out.push(`${prefix}=${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`);
  } else if (typeof v === 'object') {
    for (const k of Object.keys(v).sort()) flatten(`${prefix}.${k}`, (v as Record<string, unknown>)[k], out);
  } else {
    out.push(`${prefix}=${String(v)}`);
  }
}

export function canonicalBytes(op: string, keyId: string, ts: number | bigint, nonce: string, fields: Readonly<Record<string, unknown>>): Uint8Array {
  const lines = ['perpx-v1', op, keyId, String(ts), nonce];
  for (const k of Object.keys(fields).sort()) if (!LEFT_OUT.has(k)) flatten(k, fields[k], lines);
  return Buffer.from(lines.join('\n'), 'utf8');
}

export type KeyAlgorithm = 'ed25519' | 'hmac-sha256';

/** Ed25519 public key from its 32 raw bytes. */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.byteLength !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });
}

/** Ed25519 private key from its 32-byte seed. */
function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  if (seed.byteLength !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
}

export function signBytes(alg: KeyAlgorithm, secret: Uint8Array, bytes: Uint8Array): Uint8Array {
  if (alg === 'hmac-sha256') return createHmac('sha256', secret).update(bytes).digest();
  return edSign(null, bytes, ed25519PrivateKey(secret));
}

/** Verifies in constant time for HMAC; `material` is the public key (Ed25519) or the shared secret (HMAC). */
export function verifyBytes(alg: KeyAlgorithm, material: Uint8Array | KeyObject, bytes: Uint8Array, sig: Uint8Array): boolean {
  if (alg === 'hmac-sha256') {
    const want = createHmac('sha256', material as Uint8Array).update(bytes).digest();
    return sig.byteLength === want.byteLength && timingSafeEqual(want, sig);
  }
  if (sig.byteLength !== 64) return false;
  try {
    return edVerify(null, bytes, material as KeyObject, sig);
  } catch {
    return false;
  }
}
