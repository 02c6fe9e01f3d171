// Key layout of the gateway's own store (a Store of its own, beside the exchange's data directory: the
// journal writer owns that one). One family byte, then big-endian numbers so byte order is numeric order.
//
//   'A' seq(u64)                          an audit entry (JSON): who changed what, when (audit-log.ts)
//   'K' keyId(utf8)                       an API key (JSON; the HMAC secret included, never logged)
//   'U' accountId(u32)                    an account the gateway created (JSON)
//   'I' accountId(u32) clientOrderId(u64) the result of a placed order (msgpack): idempotent retries
//   'R' requestId(u64)                    a deposit request waiting for the operator (JSON)
//   'W' accountId(u32) withdrawalId(u64)  a trader's withdrawal: amount, then its result (JSON,
//                                         orders/withdrawals.ts): idempotent retries
//   'h' accountId(u32) slot(u64)          an ended order: the account's n-th in slot n mod historyCap, its
//                                         tuple ending with n (msgpack, views/history.ts); overwritten in place
//   'f' accountId(u32) slot(u64)          a fill, likewise
//   'H' accountId(u32) n(u64)             an ended order, n from 0, as gateways before the slots kept them
//   'F' accountId(u32) n(u64)             a fill, likewise: read and moved into slots at an account's load
//   'T' marketId(u32) minute(u64)         one closed minute of a market's 24 h ticker (msgpack,
//                                         market-data/ticker-store.ts); minutes past the window are deleted
//   'X' marketId(u32)                     the index source an operator chose for the market (JSON,
//                                         oracle/index-sources.ts)

const TWO_32 = 0x1_0000_0000;

// Keys are Buffers from Node's pool (allocUnsafe below 4 KiB slices a shared slab): an order writes two
// idempotency keys, and a fresh ArrayBuffer per key cost more than the rest of building it.
/** A uint32 big-endian at `at`, by hand: half the time of writeUInt32BE and its checks (several keys an order). */
function put32(k: Uint8Array, at: number, v: number): void {
  k[at] = v >>> 24;
  k[at + 1] = (v >>> 16) & 0xff;
  k[at + 2] = (v >>> 8) & 0xff;
  k[at + 3] = v & 0xff;
}

function withU64(prefix: readonly number[], n: number): Uint8Array {
  const k = Buffer.allocUnsafe(prefix.length + 8);
  for (let i = 0; i < prefix.length; i++) k[i] = prefix[i]!;
  put32(k, prefix.length, Math.floor(n / TWO_32));
  put32(k, prefix.length + 4, n % TWO_32);
  return k;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

export const Family = { AUDIT: 0x41, KEY: 0x4b, ACCOUNT: 0x55, IDEMPOTENT: 0x49, DEPOSIT_REQUEST: 0x52, ORDER_HISTORY: 0x48, FILL_HISTORY: 0x46, ORDER_SLOT: 0x68, FILL_SLOT: 0x66, TICKER_MINUTE: 0x54, INDEX_SOURCE: 0x58, WITHDRAWAL: 0x57 } as const;

export const auditKey = (seq: number): Uint8Array => withU64([Family.AUDIT], seq);
export const apiKeyKey = (keyId: string): Uint8Array => Buffer.concat([Uint8Array.of(Family.KEY), Buffer.from(keyId, 'utf8')]);
export const accountKey = (accountId: number): Uint8Array => Uint8Array.from([Family.ACCOUNT, ...u32(accountId)]);
export const indexSourceKey = (marketId: number): Uint8Array => Uint8Array.from([Family.INDEX_SOURCE, ...u32(marketId)]);
function writePair(k: Buffer, family: number, id: number, n: number): Buffer {
  k[0] = family;
  put32(k, 1, id >>> 0);
  put32(k, 5, Math.floor(n / TWO_32));
  put32(k, 9, n % TWO_32);
  return k;
}

/** family, id(u32), n(u64): idempotency results, history entries, ticker minutes. */
export const pairKey = (family: number, id: number, n: number): Buffer => writePair(Buffer.allocUnsafe(13), family, id, n);
export const resultKey = (accountId: number, clientOrderId: number): Uint8Array => pairKey(Family.IDEMPOTENT, accountId, clientOrderId);

const scratch = Buffer.allocUnsafe(13);
/**
 * pairKey() written into one shared buffer, valid until the next call: for the StoreBatcher's writes, which
 * copy their key at once (the order path writes three to four keys an order: no buffer of its own each).
 */
export const scratchPairKey = (family: number, id: number, n: number): Buffer => writePair(scratch, family, id, n);

/** Every key of one id in a pair family (family, id, any n). */
export function pairRange(family: number, id: number): { gte: Uint8Array; lt: Uint8Array } {
  const gte = pairKey(family, id, 0);
  const lt = Buffer.alloc(13, 0xff);
  gte.copy(lt, 0, 0, 5);
  return { gte, lt };
}
export const depositRequestKey = (requestId: number): Uint8Array => withU64([Family.DEPOSIT_REQUEST], requestId);

/** Every key of one family: [family, family + 1). */
export function familyRange(family: number): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: Uint8Array.of(family), lt: Uint8Array.of(family + 1) };
}

export function readU64(k: Uint8Array, at: number): number {
  const v = new DataView(k.buffer, k.byteOffset, k.byteLength);
  return v.getUint32(at) * TWO_32 + v.getUint32(at + 4);
}

export function readU32(k: Uint8Array, at: number): number {
  return new DataView(k.buffer, k.byteOffset, k.byteLength).getUint32(at);
}
