// AccountTable: what the book knows per account, as typed arrays indexed by an account slot. A command
// looks its account up once (open-addressing hash on accountId); orders carry their account slot, so a
// trade touches the maker's account without any lookup. Slots are never freed (an account's position
// outlives its orders); the table doubles as accounts appear.
//
// Each account threads its reduce-only orders (resting and untriggered) into a doubly linked list
// through the pool's roPrev/roNext, for the clean-up after its trades. There is no list of all an
// account's orders: keeping one costs two cache misses on its neighbours at every place and cancel,
// while cancel-all (its only user) is rare and walks the book instead (BookCore.cancelAccount).
//
// positionLots is a Float64: positions are bounded by risk limits far below 2^53; the book checks every
// update (addPosition) so a breach stops loudly instead of rounding.

import { StpMode } from '../enums.js';
import type { OrderPool } from './order-pool.js';

const INITIAL_ACCOUNTS = 64;

function mix32(v: number): number {
  let h = Math.imul(v ^ (v >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return h ^ (h >>> 16);
}

export class AccountTable {
  accountId = new Float64Array(0);
  openCount = new Int32Array(0);
  stpDefault = new Uint8Array(0);
  positionLots = new Float64Array(0);
  /** First order of the account's reduce-only list, −1 when none. */
  reduceOnlyHead = new Int32Array(0);
  /** Scratch for the fill-or-kill simulation: simDelta is valid when simEpoch equals the current run. */
  simEpoch = new Int32Array(0);
  simDelta = new Float64Array(0);

  size = 0;
  private capacity = 0;
  private buckets = new Int32Array(0);
  private mask = 0;

  constructor(private readonly pool: OrderPool) {
    this.grow(INITIAL_ACCOUNTS);
  }

  /** The account's slot, or −1 if the book has never seen it. */
  find(accountId: number): number {
    const b = this.buckets;
    let i = mix32(accountId) & this.mask;
    for (;;) {
      const v = b[i]!;
      if (v === 0) return -1;
      if (this.accountId[v - 1] === accountId) return v - 1;
      i = (i + 1) & this.mask;
    }
  }

  findOrAdd(accountId: number): number {
    const found = this.find(accountId);
    if (found >= 0) return found;
    if (this.size === this.capacity) this.grow(this.capacity * 2);
    const slot = this.size++;
    this.accountId[slot] = accountId;
    this.stpDefault[slot] = StpMode.EXPIRE_TAKER;
    this.reduceOnlyHead[slot] = -1;
    this.insertBucket(slot);
    return slot;
  }

  /** Adds a reduce-only order to the front of the account's reduce-only list. */
  linkReduceOnly(acct: number, slot: number): void {
    const pool = this.pool;
    pool.useReduceOnlyLinks();
    const h = this.reduceOnlyHead[acct]!;
    pool.roPrev[slot] = -1;
    pool.roNext[slot] = h;
    if (h >= 0) pool.roPrev[h] = slot;
    this.reduceOnlyHead[acct] = slot;
  }

  unlinkReduceOnly(acct: number, slot: number): void {
    const pool = this.pool;
    const p = pool.roPrev[slot]!;
    const n = pool.roNext[slot]!;
    if (p >= 0) pool.roNext[p] = n;
    else this.reduceOnlyHead[acct] = n;
    if (n >= 0) pool.roPrev[n] = p;
  }

  byteLength(): number {
    return this.capacity * (8 + 4 + 1 + 8 + 4 + 4 + 8) + this.buckets.byteLength;
  }

  private insertBucket(slot: number): void {
    let i = mix32(this.accountId[slot]!) & this.mask;
    while (this.buckets[i] !== 0) i = (i + 1) & this.mask;
    this.buckets[i] = slot + 1;
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.accountId = copy(this.accountId, (n) => new Float64Array(n));
    this.openCount = copy(this.openCount, (n) => new Int32Array(n));
    this.stpDefault = copy(this.stpDefault, (n) => new Uint8Array(n));
    this.positionLots = copy(this.positionLots, (n) => new Float64Array(n));
    this.reduceOnlyHead = copy(this.reduceOnlyHead, (n) => new Int32Array(n));
    this.simEpoch = copy(this.simEpoch, (n) => new Int32Array(n));
    this.simDelta = copy(this.simDelta, (n) => new Float64Array(n));
    this.capacity = capacity;
    this.buckets = new Int32Array(capacity * 2);
    this.mask = capacity * 2 - 1;
    for (let s = 0; s < this.size; s++) this.insertBucket(s);
  }
}
