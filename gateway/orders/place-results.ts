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
// retry is a new attempt under the reserved id. Each account keeps its newest `capPerAccount` client
// order ids; older ones are forgotten (and deleted from the store).

import { decode, Encoder } from '@msgpack/msgpack';
import type { Store } from '../../persistence/store.js';
import { withCachedStrings } from '../protocol/cached-strings.js';
import { Family, familyRange, readU32, readU64, resultKey } from '../auth/gateway-keys.js';
import type { StoreBatcher } from './store-batcher.js';

/**
 * One encoder for every record (msgpack's encode() builds a new Encoder and buffer per call); the bytes are
 * copied into Node's buffer pool (the store copies them again), not into an ArrayBuffer of their own.
 */
const encoder = withCachedStrings(new Encoder());
const encode = (v: unknown): Uint8Array => Buffer.from(encoder.encodeSharedRef(v));

export interface PlaceResult {
  readonly ok: boolean;
  readonly code: number;
  readonly orderId: number;
  readonly clientOrderId: number;
  /** The order as accepted (accepted orders), for the response. */
  readonly order?: Readonly<Record<string, unknown>>;
}

export interface PlaceEntry {
  readonly orderId: number;
  result: PlaceResult | undefined;
  /** Answers of later attempts waiting for the first one. */
  waiters: ((r: PlaceResult) => void)[] | undefined;
  /** Reserved before a restart, result unknown: the next attempt re-offers the same order id. */
  recovered: boolean;
  readonly seq: number;
}

interface Stored {
  orderId: number;
  seq: number;
  result?: PlaceResult;
}

/**
 * One account's client order ids, the map and their order of reservation (oldest first). Eviction takes
 * the oldest settled one from the front of `order`: iterating the map from its start instead walked every
 * deleted slot the map had not yet compacted away (thousands per order once an account was at its cap).
 */
interface AccountResults {
  readonly m: Map<number, PlaceEntry>;
  /** Client order ids in order of reservation from `head` on (a cid can be in it once only: see evict). */
  order: number[];
  head: number;
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
    const loaded: { accountId: number; cid: number; s: Stored }[] = [];
    for await (const e of store.scan(familyRange(Family.IDEMPOTENT))) loaded.push({ accountId: readU32(e.key, 1), cid: readU64(e.key, 5), s: decode(e.value) as Stored });
    loaded.sort((a, b) => a.s.seq - b.s.seq);
    for (const l of loaded) {
      p.add(p.account(l.accountId), l.cid, { orderId: l.s.orderId, result: l.s.result, waiters: undefined, recovered: l.s.result === undefined, seq: l.s.seq });
      p.seq = Math.max(p.seq, l.s.seq);
    }
    return p;
  }

  private account(accountId: number): AccountResults {
    let a = this.byAccount.get(accountId);
    if (a === undefined) this.byAccount.set(accountId, (a = { m: new Map(), order: [], head: 0 }));
    return a;
  }

  private add(a: AccountResults, clientOrderId: number, entry: PlaceEntry): void {
    const before = a.m.size;
    a.m.set(clientOrderId, entry);
    if (a.m.size > before) a.order.push(clientOrderId);
  }

  /** Forgets the account's oldest client order id that has a result (none while all are in flight). */
  private evict(accountId: number, a: AccountResults): void {
    const { m, order } = a;
    for (let i = a.head; i < order.length; i++) {
      const cid = order[i]!;
      if (m.get(cid)!.result === undefined) continue;
      m.delete(cid);
      void this.batcher.del(resultKey(accountId, cid)).catch(() => {});
      // the front in O(1); one behind in-flight ones (rare: the oldest still unanswered) by a splice
      if (i === a.head) a.head++;
      else order.splice(i, 1);
      if (a.head > 1024 && a.head * 2 > order.length) {
        a.order = order.slice(a.head);
        a.head = 0;
      }
      return;
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

  /** Reserves `orderId` for the client order id; resolves once the reservation is in the store. */
  reserve(accountId: number, clientOrderId: number, orderId: number): { entry: PlaceEntry; written: Promise<void> } {
    const a = this.account(accountId);
    const entry: PlaceEntry = { orderId, result: undefined, waiters: [], recovered: false, seq: ++this.seq };
    this.add(a, clientOrderId, entry);
    const written = this.batcher.put(resultKey(accountId, clientOrderId), encode({ orderId, seq: entry.seq } satisfies Stored));
    if (a.m.size > this.capPerAccount) this.evict(accountId, a);
    return { entry, written };
  }

  /**
   * Records the final result and answers every attempt waiting for it; resolves once the result is in the
   * store, so a client is told an outcome only once a retry after a crash would be told the same.
   */
  settle(accountId: number, clientOrderId: number, entry: PlaceEntry, result: PlaceResult): Promise<void> {
    entry.result = result;
    entry.recovered = false;
    const written = this.batcher.put(resultKey(accountId, clientOrderId), encode({ orderId: entry.orderId, seq: entry.seq, result } satisfies Stored));
    const w = entry.waiters ?? [];
    entry.waiters = undefined;
    return written.then(
      () => w.forEach((f) => f(result)),
      () => w.forEach((f) => f(result)),
    );
  }

  /** The attempt was not taken: later attempts start afresh under the same reserved id. */
  release(entry: PlaceEntry, result: PlaceResult): void {
    const w = entry.waiters ?? [];
    entry.waiters = undefined;
    for (const f of w) f(result);
  }
}
