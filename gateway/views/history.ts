// AccountHistory: each account's ended orders and fills, the newest `cap` of each, in memory and (once
// attach()ed to the gateway's store) in the store, so queries after a restart answer what they answered
// before it (docs/ARCHITECTURE.md, "Read models after a restart"). Keys (auth/gateway-keys.ts):
//
//   'H' accountId n   the account's n-th ended order      n counts from 0 per account and list, so an
//   'F' accountId n   the account's n-th fill             account's newest N are one reverse range scan
//
// Writing entry n deletes entry n - cap in the same batch (the gateway's StoreBatcher: unsynced batches, one
// per turn or per write in flight, that its idempotency records share), so the store keeps what memory keeps. Loading
// an account's list also deletes what lies below its newest `cap` (left by a gateway run with a larger cap).
//
// An account's lists are loaded on first use (a query, or an entry to add after a restart): one reverse
// scan of at most `cap` keys a list. Entries that come while it loads wait in memory and are numbered and
// written after the loaded ones, so the order is the release order either way. Only released records
// make entries, and the exchange releases only what is durable: an entry never shows what a client was
// not acknowledged. A killed gateway loses the entries of its unwritten batches (released, not yet in
// the store): the one being written and the one gathering meanwhile.

import { Decoder } from '@msgpack/msgpack';
import type { Store } from '../../persistence/store.js';
import { Family, pairKey, pairRange, readU64, scratchPairKey } from '../auth/gateway-keys.js';
import type { StoreBatcher } from '../orders/store-batcher.js';
import { FrameWriter } from '../protocol/frame-writer.js';
import { BoundedList } from './bounded-list.js';
import type { FillView, OrderView } from './order-view.js';

/** How one kind of entry is kept: its family and its stored form. */
interface Kind<T> {
  readonly family: number;
  /** The stored form, to encode at once (it may be reused by the next call). */
  stored(v: T): unknown;
  loaded(v: unknown): T;
}

/**
 * An entry stored as the tuple of its fields in `fields` order (a msgpack array: a third of what the map
 * costs to encode, and no key names on disk); bigints as decimal strings, a field left out as nil. Loaded
 * back with the same fields in the same order, so it reads and encodes exactly as the live one did.
 */
function tupleKind<T extends object>(family: number, fields: readonly (keyof T & string)[], bigints: readonly (keyof T & string)[]): Kind<T> {
  const big = fields.map((f) => bigints.includes(f));
  // One tuple rewritten per entry: stored() is encoded at once and never kept.
  const tuple: unknown[] = new Array<unknown>(fields.length).fill(undefined);
  return {
    family,
    stored: (v) => {
      const r = v as Record<string, unknown>;
      for (let i = 0; i < fields.length; i++) {
        const x = r[fields[i]!];
        tuple[i] = big[i] ? String(x) : x;
      }
      return tuple;
    },
    loaded: (v) => {
      const values = v as unknown[];
      const out: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const x = values[i];
        if (x !== null && x !== undefined) out[fields[i]!] = big[i] ? BigInt(x as string) : x;
      }
      return out as T;
    },
  };
}

// In the order the views build them (endReason comes last: it is added when the order ends).
const ORDERS = tupleKind<OrderView>(Family.ORDER_HISTORY, ['orderId', 'clientOrderId', 'market', 'side', 'type', 'tif', 'price', 'qty', 'filled', 'remaining', 'trigger', 'triggerBy', 'reduceOnly', 'status', 'createdUs', 'updatedUs', 'endReason'], []);
const FILLS = tupleKind<FillView>(Family.FILL_HISTORY, ['tradeId', 'orderId', 'market', 'side', 'price', 'qty', 'fee', 'realizedPnl', 'liquidity', 'atUs'], ['fee', 'realizedPnl']);

// The gateway's msgpack writer (tuples of numbers, short strings and booleans: no bigint reaches it); read
// back without useBigInt64, so numbers stay numbers (every number stored is below 2^53).
// The bytes are the writer's shared buffer and the key a scratch one: the StoreBatcher copies both at once.
const encoder = new FrameWriter();
const decoder = new Decoder();

interface Storage {
  readonly store: Store;
  readonly batcher: StoreBatcher;
}

class AccountList<T> {
  readonly list: BoundedList<T>;
  /** Entries ever added: the number of the next one. */
  next = 0;
  /** Undefined until the stored entries are in (always in without a store). */
  loading: Promise<void> | undefined;
  ready: boolean;
  /** Entries that came while the stored ones loaded, oldest first. */
  pending: T[] = [];

  constructor(cap: number, ready: boolean) {
    this.list = new BoundedList(cap);
    this.ready = ready;
  }
}

/** One list per account (ended orders, or fills), kept in memory and, once attached, in the store. */
class HistoryList<T> {
  private readonly accounts = new Map<number, AccountList<T>>();
  private storage: Storage | undefined;
  /** The first failure to load an account's entries (that account's list then starts empty). */
  failure: Error | undefined;
  /** Loads under way (their waiting entries are not in the write batch yet). */
  private readonly loads = new Set<Promise<void>>();

  constructor(
    private readonly kind: Kind<T>,
    private readonly cap: number,
  ) {}

  attach(storage: Storage): void {
    this.storage = storage;
  }

  add(accountId: number, v: T): void {
    const a = this.of(accountId);
    if (a.ready) this.write(accountId, a, v);
    else {
      a.pending.push(v);
      void this.load(accountId, a);
    }
  }

  /** Newest first, at most `limit`: at once when the account's entries are in, else once they are. */
  newest(accountId: number, limit: number): T[] | Promise<T[]> {
    const a = this.storage === undefined ? this.accounts.get(accountId) : this.of(accountId);
    if (a === undefined) return [];
    if (a.ready) return a.list.newest(limit);
    return this.load(accountId, a).then(() => a.list.newest(limit));
  }

  /** Resolves once no load is under way: every entry added so far is in the write batcher. */
  async loaded(): Promise<void> {
    while (this.loads.size > 0) await Promise.all(this.loads);
  }

  /** Entries held in memory for the account (0 while they load). */
  length(accountId: number): number {
    return this.accounts.get(accountId)?.list.length ?? 0;
  }

  private of(accountId: number): AccountList<T> {
    let a = this.accounts.get(accountId);
    if (a === undefined) this.accounts.set(accountId, (a = new AccountList<T>(this.cap, this.storage === undefined)));
    return a;
  }

  private write(accountId: number, a: AccountList<T>, v: T): void {
    const n = a.next++;
    a.list.push(v);
    const s = this.storage;
    if (s === undefined) return;
    s.batcher.putLater(scratchPairKey(this.kind.family, accountId, n), encoder.encodeSharedRef(this.kind.stored(v)));
    if (n >= this.cap) s.batcher.delLater(scratchPairKey(this.kind.family, accountId, n - this.cap));
  }

  private load(accountId: number, a: AccountList<T>): Promise<void> {
    if (a.loading !== undefined) return a.loading;
    const loading = (a.loading = this.read(accountId, a));
    this.loads.add(loading);
    void loading.then(() => this.loads.delete(loading));
    return loading;
  }

  /**
   * Deletes the account's entries numbered below `keepFrom` if any is left: entries written under a larger
   * cap than this gateway's (a cap lowered between runs), which the per-write deletion (n - cap) never
   * reaches and which would otherwise stay in the store for good. One seek to the oldest entry; a range
   * delete only when one is found.
   */
  private async pruneBelow(accountId: number, keepFrom: number): Promise<void> {
    if (keepFrom <= 0) return;
    const range = pairRange(this.kind.family, accountId);
    for await (const e of this.storage!.store.scan({ ...range, limit: 1 })) {
      if (readU64(e.key, 5) < keepFrom) await this.storage!.store.deleteRange({ gte: range.gte, lt: pairKey(this.kind.family, accountId, keepFrom) }, false);
    }
  }

  /** Reads the account's stored entries, then numbers and writes those that came meanwhile. Never rejects. */
  private async read(accountId: number, a: AccountList<T>): Promise<void> {
    const newestFirst: T[] = [];
    try {
      for await (const e of this.storage!.store.scan({ ...pairRange(this.kind.family, accountId), reverse: true, limit: this.cap })) {
        if (newestFirst.length === 0) a.next = readU64(e.key, 5) + 1;
        newestFirst.push(this.kind.loaded(decoder.decode(e.value)));
      }
      await this.pruneBelow(accountId, a.next - this.cap);
    } catch (e) {
      this.failure ??= e as Error;
    }
    for (let i = newestFirst.length - 1; i >= 0; i--) a.list.push(newestFirst[i]!);
    a.ready = true;
    const pending = a.pending;
    a.pending = [];
    for (const v of pending) this.write(accountId, a, v);
  }
}

/** Ended orders and fills of every account. */
export class AccountHistory {
  readonly orders: HistoryList<OrderView>;
  readonly fills: HistoryList<FillView>;

  constructor(cap: number) {
    this.orders = new HistoryList(ORDERS, cap);
    this.fills = new HistoryList(FILLS, cap);
  }

  private batcher: StoreBatcher | undefined;

  /** From now on entries are stored, and an account's stored entries are loaded on its first use. */
  attach(store: Store, batcher: StoreBatcher): void {
    this.batcher = batcher;
    this.orders.attach({ store, batcher });
    this.fills.attach({ store, batcher });
  }

  /** Resolves once every entry added so far is in the store. */
  async written(): Promise<void> {
    await Promise.all([this.orders.loaded(), this.fills.loaded()]);
    await this.batcher?.settled();
  }
}
