// PlaceResults: idempotent order placement by client order id. The first place with a client order id
// reserves an order id for it and records the pair in the gateway's store before the order is offered;
// its answer is recorded when it comes. A repeat of the client order id (a retry after a lost response,
// also after a gateway restart) gets the original result and places nothing:
//
//   result recorded           → that result again (replayed: true)
//   first attempt in flight   → waits for the first attempt's result
//   reserved, no result       → (a restart came between) offered again under the *same* order id: the
//                               engine refuses a second order with it (DUPLICATE_ORDER_ID, docs/COMMANDS.md),
//                               which means the first was accepted; otherwise this attempt is the order
//
// A result the exchange did not take (BACK_PRESSURE, EXCHANGE_HALTED, RATE_LIMITED) is not recorded: the
// retry is a new attempt under the reserved id. Past `capPerAccount` client order ids an account forgets
// the one that settled first (deleted from the store too); one still in flight, or recovered without a
// result, is never forgotten.

import { decode } from '@msgpack/msgpack';
import type { Store } from '../../persistence/store.js';
import { Family, familyRange, readU32, readU64, scratchPairKey } from '../auth/gateway-keys.js';
import { FrameWriter } from '../protocol/frame-writer.js';
import type { StoreBatcher, Written } from './store-batcher.js';

/**
 * One writer for every record, writing what the library's encode() with its default options writes
 * (integers past 32 bits as uint64: the bytes records have always had) without its per-call iterator and
 * generic walk. The bytes are the writer's shared buffer, valid until the next record: the StoreBatcher
 * copies them into the store's batch at once (and so the key, from scratchPairKey).
 */
const encoder = new FrameWriter({});
const encode = (v: unknown): Uint8Array => encoder.encodeSharedRef(v);
const keyOf = (accountId: number, clientOrderId: number): Uint8Array => scratchPairKey(Family.IDEMPOTENT, accountId, clientOrderId);

export interface PlaceResult {
  readonly ok: boolean;
  readonly code: number;
  readonly orderId: number;
  readonly clientOrderId: number;
  /** The order as accepted (accepted orders), for the response. */
  readonly order?: Readonly<Record<string, unknown>>;
}

/** An attempt in flight that nobody waits for yet: one shared empty list, not an array per order (waitFor). */
export const NO_WAITERS: readonly ((r: PlaceResult) => void)[] = Object.freeze([]);

/** `f` gets the result of the entry's attempt in flight, once it is recorded. */
export function waitFor(entry: PlaceEntry, f: (r: PlaceResult) => void): void {
  if (entry.waiters === NO_WAITERS) entry.waiters = [f];
  else entry.waiters!.push(f);
}

export interface PlaceEntry {
  readonly orderId: number;
  result: PlaceResult | undefined;
  /** Answers of later attempts waiting for the first one (NO_WAITERS until one waits); undefined once settled. */
  waiters: ((r: PlaceResult) => void)[] | undefined;
  /** Reserved before a restart, result unknown: the next attempt re-offers the same order id. */
  recovered: boolean;
  readonly seq: number;
}

/** The record as gateways before the compact one wrote it (still read: a store outlives its gateway). */
interface StoredMap {
  orderId: number;
  seq: number;
  result?: PlaceResult;
}

/**
 * The record as stored: a msgpack array, no keys. The reservation is [orderId, seq]; with its result,
 * [orderId, seq, ok, code] and for an accepted order the order's market, price, qty, trigger and
 * acceptedUs after it (the order's ids are the entry's and the key's). 6-30 bytes, against 20 and ~150 as a
 * map of 14 keys, and cheaper to encode.
 */
type StoredArray = [orderId: number, seq: number, ok?: 0 | 1, code?: number, market?: unknown, price?: unknown, qty?: unknown, trigger?: unknown, acceptedUs?: unknown];

const ORDER_FIELDS = ['market', 'price', 'qty', 'trigger', 'acceptedUs'] as const;

// Encoded at once and never kept: one array of each length, rewritten per record (no array per order).
const reservedTuple: StoredArray = [0, 0];
const refusedTuple: StoredArray = [0, 0, 0, 0];
const acceptedTuple: StoredArray = [0, 0, 1, 0, undefined, undefined, undefined, undefined, undefined];

/** The reservation's bytes: [orderId, seq]. */
function encodeReserved(orderId: number, seq: number): Uint8Array {
  reservedTuple[0] = orderId;
  reservedTuple[1] = seq;
  return encode(reservedTuple);
}

/** The result's bytes: [orderId, seq, ok, code], then the accepted order's fields. */
function encodeResult(orderId: number, seq: number, r: PlaceResult): Uint8Array {
  const o = r.order;
  const t = o === undefined ? refusedTuple : acceptedTuple;
  t[0] = orderId;
  t[1] = seq;
  t[2] = r.ok ? 1 : 0;
  t[3] = r.code;
  if (o !== undefined) {
    t[4] = o['market'];
    t[5] = o['price'];
    t[6] = o['qty'];
    t[7] = o['trigger'];
    t[8] = o['acceptedUs'];
  }
  const bytes = encode(t);
  if (o !== undefined) t.fill(undefined, 4);
  return bytes;
}

/** A stored record, either layout, as the entry's fields. */
function readStored(v: StoredMap | StoredArray, clientOrderId: number): { orderId: number; seq: number; result: PlaceResult | undefined } {
  if (!Array.isArray(v)) return { orderId: v.orderId, seq: v.seq, result: v.result };
  const [orderId, seq, ok, code] = v;
  if (ok === undefined) return { orderId, seq, result: undefined };
  const result: PlaceResult = { ok: ok === 1, code: code!, orderId, clientOrderId };
  if (v.length <= 4) return { orderId, seq, result };
  const order: Record<string, unknown> = { orderId, clientOrderId };
  ORDER_FIELDS.forEach((f, i) => (order[f] = v[4 + i]));
  return { orderId, seq, result: { ...result, order } };
}

/**
 * One account's client order ids, and the settled ones in the order they settled (oldest first). Eviction
 * takes the front of `settled`: O(1) amortised. Scanning the ids in order of reservation for the oldest
 * settled one instead walked every id still in flight first, O(cap) per order once an account had more
 * than the cap in flight (most of them unanswered under overload: O(n²), bench/RESULTS.md "overload").
 */
interface AccountResults {
  readonly m: Map<number, PlaceEntry>;
  /** Settled client order ids from `head` on, each with its entry: a pair whose entry is no longer the map's is stale and skipped. */
  settledCids: number[];
  settledEntries: PlaceEntry[];
  head: number;
}

function settledIn(a: AccountResults, cid: number, entry: PlaceEntry): void {
  a.settledCids.push(cid);
  a.settledEntries.push(entry);
}

export class PlaceResults {
  private readonly byAccount = new Map<number, AccountResults>();
  private seq = 0;

  private constructor(
    private readonly batcher: StoreBatcher,
    private readonly capPerAccount: number,
  ) {}

  static async open(store: Store, batcher: StoreBatcher, capPerAccount = 10_000): Promise<PlaceResults> {
    const p = new PlaceResults(batcher, capPerAccount);
    const loaded: { accountId: number; cid: number; s: ReturnType<typeof readStored> }[] = [];
    for await (const e of store.scan(familyRange(Family.IDEMPOTENT))) {
      const cid = readU64(e.key, 5);
      loaded.push({ accountId: readU32(e.key, 1), cid, s: readStored(decode(e.value) as StoredMap | StoredArray, cid) });
    }
    loaded.sort((a, b) => a.s.seq - b.s.seq);
    for (const l of loaded) {
      const a = p.account(l.accountId);
      const entry: PlaceEntry = { orderId: l.s.orderId, result: l.s.result, waiters: undefined, recovered: l.s.result === undefined, seq: l.s.seq };
      a.m.set(l.cid, entry);
      if (entry.result !== undefined) settledIn(a, l.cid, entry);
      p.seq = Math.max(p.seq, l.s.seq);
    }
    return p;
  }

  private account(accountId: number): AccountResults {
    let a = this.byAccount.get(accountId);
    if (a === undefined) this.byAccount.set(accountId, (a = { m: new Map(), settledCids: [], settledEntries: [], head: 0 }));
    return a;
  }

  /** Forgets the account's client order id that settled first (none while all are in flight). */
  private evict(accountId: number, a: AccountResults): void {
    const { m, settledCids, settledEntries } = a;
    while (a.head < settledCids.length) {
      const cid = settledCids[a.head]!;
      const entry = settledEntries[a.head]!;
      a.head++;
      // stale: evicted already and its client order id reserved anew
      if (m.get(cid) !== entry) continue;
      m.delete(cid);
      this.batcher.delLater(keyOf(accountId, cid));
      break;
    }
    if (a.head > 1024 && a.head * 2 > settledCids.length) {
      a.settledCids = settledCids.slice(a.head);
      a.settledEntries = settledEntries.slice(a.head);
      a.head = 0;
    }
  }

  get(accountId: number, clientOrderId: number): PlaceEntry | undefined {
    return this.byAccount.get(accountId)?.m.get(clientOrderId);
  }

  /** Largest order id reserved (a restarted gateway's ids must start past it). */
  maxOrderId(): number {
    let max = 0;
    for (const a of this.byAccount.values()) for (const e of a.m.values()) max = Math.max(max, e.orderId);
    return max;
  }

  /** Reserves `orderId` for the client order id; `written` is called once the reservation is in the store. */
  reserve(accountId: number, clientOrderId: number, orderId: number, written: Written): PlaceEntry {
    const a = this.account(accountId);
    const entry: PlaceEntry = { orderId, result: undefined, waiters: NO_WAITERS as PlaceEntry['waiters'], recovered: false, seq: ++this.seq };
    a.m.set(clientOrderId, entry);
    this.batcher.putThen(keyOf(accountId, clientOrderId), encodeReserved(orderId, entry.seq), written);
    if (a.m.size > this.capPerAccount) this.evict(accountId, a);
    return entry;
  }

  /**
   * Records the final result; once it is in the store (or the write failed) answers every attempt waiting
   * for it, then calls `after`: a client is told an outcome only once a retry after a crash would be told
   * the same.
   */
  settle(accountId: number, clientOrderId: number, entry: PlaceEntry, result: PlaceResult, after: () => void): void {
    const a = this.byAccount.get(accountId);
    if (entry.result === undefined && a !== undefined && a.m.get(clientOrderId) === entry) settledIn(a, clientOrderId, entry);
    entry.result = result;
    entry.recovered = false;
    const w = entry.waiters;
    entry.waiters = undefined;
    this.batcher.putThen(keyOf(accountId, clientOrderId), encodeResult(entry.orderId, entry.seq, result), () => {
      if (w !== undefined) for (const f of w) f(result);
      after();
    });
  }

  /** The attempt was not taken: later attempts start afresh under the same reserved id. */
  release(entry: PlaceEntry, result: PlaceResult): void {
    const w = entry.waiters ?? [];
    entry.waiters = undefined;
    for (const f of w) f(result);
  }
}
