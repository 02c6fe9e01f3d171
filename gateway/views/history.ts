// AccountHistory: each account's ended orders and fills, the newest `cap` of each, in memory and (once
// attach()ed to the gateway's store) in the store, so queries after a restart answer what they answered
// before it (docs/ARCHITECTURE.md, "Read models after a restart"). Keys (auth/gateway-keys.ts):
//
//   'h' accountId slot   an ended order      entry n (counted from 0 per account and list) goes to slot
//   'f' accountId slot   a fill              n mod cap, its stored tuple ending with n
//
// Writing entry n overwrites entry n - cap in its slot: one put an entry, no delete (the gateway's
// StoreBatcher: unsynced batches, one per turn or per write in flight, that its idempotency records share),
// so the store keeps what memory keeps. Loading an account reads its slots (at most `cap` keys) and orders
// them by n. Gateways before the slots (branch gwcpu5) kept entry n under 'H'/'F' accountId n and deleted
// n - cap with each write: two operations an entry. An account's entries in that layout are read at its
// load, with its slots, and moved into slots; so are entries in the wrong slot (a run with another cap),
// and slots holding no kept entry are deleted.
//
// An account's lists are loaded on first use (a query, or an entry to add after a restart): one reverse
// scan of at most `cap` keys a list. Entries that come while it loads wait in memory and are numbered and
// written after the loaded ones, so the order is the release order either way. Only released records
// make entries, and the exchange releases only what is durable: an entry never shows what a client was
// not acknowledged. A killed gateway loses the entries of its unwritten batches (released, not yet in
// the store): the one being written and the one gathering meanwhile.

import { Decoder } from '@msgpack/msgpack';
import type { Store } from '../../persistence/store.js';
import { Family, pairRange, readU64, scratchPairKey } from '../auth/gateway-keys.js';
import type { StoreBatcher } from '../orders/store-batcher.js';
import { FrameWriter } from '../protocol/frame-writer.js';
import { BoundedList } from './bounded-list.js';
import type { FillView, OrderView } from './order-view.js';

/** How one kind of entry is kept: its families and its stored form. */
interface Kind<T> {
  /** Slot-keyed entries ('h', 'f'). */
  readonly family: number;
  /** The layout before the slots ('H', 'F'): read and moved at an account's load. */
  readonly numberedFamily: number;
  /** The entry's fields as the tuple `loaded` reads, then `n` (encoded at once: reused by the next call). */
  stored(v: T, n: number): unknown;
  /** The entry from its tuple (either layout's: `n`, when there, is past the fields). */
  loaded(v: unknown): T;
  /** The entry's number from its slot-keyed tuple. */
  numberOf(v: unknown): number;
}

/**
 * An entry stored as the tuple of its fields in `fields` order (a msgpack array: a third of what the map
 * costs to encode, and no key names on disk), then its number; bigints as decimal strings, a field left out
 * as nil. Loaded back with the same fields in the same order, so it reads and encodes exactly as the live
 * one did.
 */
function tupleKind<T extends object>(family: number, numberedFamily: number, fields: readonly (keyof T & string)[], bigints: readonly (keyof T & string)[]): Kind<T> {
  const big = fields.map((f) => bigints.includes(f));
  // One tuple rewritten per entry: stored() is encoded at once and never kept.
  const tuple: unknown[] = new Array<unknown>(fields.length + 1).fill(undefined);
  return {
    family,
    numberedFamily,
    stored: (v, n) => {
      const r = v as Record<string, unknown>;
      for (let i = 0; i < fields.length; i++) {
        const x = r[fields[i]!];
        tuple[i] = big[i] ? String(x) : x;
      }
      tuple[fields.length] = n;
      return tuple;
    },
    numberOf: (v) => (v as unknown[])[fields.length] as number,
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
const ORDERS = tupleKind<OrderView>(Family.ORDER_SLOT, Family.ORDER_HISTORY, ['orderId', 'clientOrderId', 'market', 'side', 'type', 'tif', 'price', 'qty', 'filled', 'remaining', 'trigger', 'triggerBy', 'reduceOnly', 'status', 'createdUs', 'updatedUs', 'endReason'], []);
const FILLS = tupleKind<FillView>(Family.FILL_SLOT, Family.FILL_HISTORY, ['tradeId', 'orderId', 'market', 'side', 'price', 'qty', 'fee', 'realizedPnl', 'liquidity', 'atUs'], ['fee', 'realizedPnl']);

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
    s.batcher.putLater(scratchPairKey(this.kind.family, accountId, n % this.cap), encoder.encodeSharedRef(this.kind.stored(v, n)));
  }

  private load(accountId: number, a: AccountList<T>): Promise<void> {
    if (a.loading !== undefined) return a.loading;
    const loading = (a.loading = this.read(accountId, a));
    this.loads.add(loading);
    void loading.then(() => this.loads.delete(loading));
    return loading;
  }

  /**
   * Reads the account's stored entries (its slots, and any left in the numbered layout), keeps the newest
   * `cap` by number, puts each kept entry into its slot where it is not there yet and deletes slots holding
   * none; the numbered entries are deleted once their copies are in the store. Then numbers and writes the
   * entries that came meanwhile. Never rejects.
   */
  private async read(accountId: number, a: AccountList<T>): Promise<void> {
    const { kind, cap } = this;
    const s = this.storage!;
    /** Every entry found: its number, the entry, its slot (-1: the numbered layout). */
    const found: { n: number; v: T; slot: number }[] = [];
    const numbered = pairRange(kind.numberedFamily, accountId);
    let anyNumbered = false;
    try {
      for await (const e of s.store.scan(pairRange(kind.family, accountId))) {
        const t = decoder.decode(e.value);
        found.push({ n: kind.numberOf(t), v: kind.loaded(t), slot: readU64(e.key, 5) });
      }
      for await (const e of s.store.scan({ ...numbered, reverse: true, limit: cap })) {
        anyNumbered = true;
        found.push({ n: readU64(e.key, 5), v: kind.loaded(decoder.decode(e.value)), slot: -1 });
      }
    } catch (e) {
      this.failure ??= e as Error;
    }
    // Newest first; an entry found twice (moved into its slot, the numbered copy not yet deleted) counts once.
    found.sort((x, y) => y.n - x.n || y.slot - x.slot);
    const kept: typeof found = [];
    const taken = new Set<number>();
    for (let i = 0; i < found.length && kept.length < cap; i++) {
      const f = found[i]!;
      if (i > 0 && found[i - 1]!.n === f.n) continue;
      // a slot a newer entry takes (numbers with a gap wider than the cap) keeps the newer one only
      if (taken.has(f.n % cap)) continue;
      taken.add(f.n % cap);
      kept.push(f);
    }
    if (found.length > 0) a.next = found[0]!.n + 1;
    const inPlace = new Set(kept.filter((k) => k.slot === k.n % cap));
    // Deletes first, then puts, in one batch: a slot emptied here may be the one a kept entry moves into.
    for (const f of found) if (f.slot >= 0 && !inPlace.has(f)) s.batcher.delLater(scratchPairKey(kind.family, accountId, f.slot));
    const moves = kept.filter((k) => !inPlace.has(k));
    // The numbered entries are deleted only once the copies are in: a crash between the two leaves both,
    // and the next load counts each entry once. loaded() waits for the deletion too.
    let copied: ((e: Error | undefined) => void) | undefined;
    if (anyNumbered) {
      const moved = new Promise<void>((resolve) => {
        copied = (e) => {
          if (e !== undefined) this.failure ??= e;
          const done = e === undefined ? s.store.deleteRange(numbered, false) : Promise.resolve();
          done.catch((x: unknown) => (this.failure ??= x as Error)).then(() => resolve());
        };
      });
      this.loads.add(moved);
      void moved.then(() => this.loads.delete(moved));
      if (moves.length === 0) copied!(undefined);
    }
    moves.forEach((k, i) => {
      const key = scratchPairKey(kind.family, accountId, k.n % cap);
      const value = encoder.encodeSharedRef(kind.stored(k.v, k.n));
      if (i === moves.length - 1 && copied !== undefined) s.batcher.putThen(key, value, copied);
      else s.batcher.putLater(key, value);
    });
    for (let i = kept.length - 1; i >= 0; i--) a.list.push(kept[i]!.v);
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
