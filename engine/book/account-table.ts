// AccountTable: what the book knows per account, one 32-byte record per account slot in one ArrayBuffer
// (read through a Float64Array and an Int32Array view: one array load per view, one cache line per
// account). A command looks its account up once (open-addressing hash on accountId); orders carry their
// account slot, so a trade touches the maker's account without any lookup. Slots are never freed (an
// account's position outlives its orders); the table doubles as accounts appear.
//
//   byte 0           8              16          20               24           28     32
//        +-----------+--------------+-----------+----------------+------------+------+
//        | accountId | positionLots | openCount | reduceOnlyHead | stpDefault |  0   |
//        +-----------+--------------+-----------+----------------+------------+------+
//          f64[a*4 + A_*]             i32[a*8 + A_*]
//
// Each account threads its reduce-only orders (resting and untriggered) into a doubly linked list
// through the pool's roPrev/roNext, for the clean-up after its trades (reduceOnlyHead: first order, −1
// when none). There is no list of all an account's orders: keeping one costs two cache misses on its
// neighbours at every place and cancel, while cancel-all (its only user) is rare and walks the book
// instead (BookCore.cancelAccount).
//
// positionLots is a double: positions are bounded by risk limits far below 2^53; the book checks every
// update (addPosition) so a breach stops loudly instead of rounding.

import { StpMode } from '../enums.js';
import type { OrderPool } from './order-pool.js';

export const AccountRecord = {
  BYTES: 32,
  F_SHIFT: 2,
  I_SHIFT: 3,
  A_ID: 0,
  A_POSITION: 1,
  A_OPEN_COUNT: 4,
  A_RO_HEAD: 5,
  A_STP: 6,
} as const;

const { BYTES, F_SHIFT, I_SHIFT, A_ID, A_POSITION, A_OPEN_COUNT, A_RO_HEAD, A_STP } = AccountRecord;
const INITIAL_ACCOUNTS = 64;
const EXPIRE_TAKER = StpMode.EXPIRE_TAKER;

/** Fibonacci hashing of the id's low 32 bits into 2^bits buckets (ids are mostly small counters). */
const bucketOf = (accountId: number, shift: number): number => Math.imul(accountId | 0, 0x9e3779b1) >>> shift;

export class AccountTable {
  /** Account records; replaced when the table grows. */
  f64 = new Float64Array(0);
  i32 = new Int32Array(0);
  /** Scratch for the fill-or-kill simulation: simDelta is valid when simEpoch equals the current run. */
  simEpoch = new Int32Array(0);
  simDelta = new Float64Array(0);

  size = 0;
  private capacity = 0;
  /** accountId → slot + 1 (0: empty), linear probing, load ≤ 1/2. */
  private buckets = new Int32Array(0);
  private mask = 0;
  private shift = 32;

  constructor(private readonly pool: OrderPool) {
    this.grow(INITIAL_ACCOUNTS);
  }

  /** The account's slot, or −1 if the book has never seen it. */
  find(accountId: number): number {
    const b = this.buckets;
    const f64 = this.f64;
    const mask = this.mask;
    for (let i = bucketOf(accountId, this.shift); ; i = (i + 1) & mask) {
      const v = b[i]!;
      if (v === 0) return -1;
      if (f64[(v - 1) << F_SHIFT] === accountId) return v - 1;
    }
  }

  findOrAdd(accountId: number): number {
    const found = this.find(accountId);
    return found >= 0 ? found : this.add(accountId);
  }

  idOf(acct: number): number {
    return this.f64[(acct << F_SHIFT) + A_ID]!;
  }
  positionOf(acct: number): number {
    return this.f64[(acct << F_SHIFT) + A_POSITION]!;
  }
  setPosition(acct: number, positionLots: number): void {
    this.f64[(acct << F_SHIFT) + A_POSITION] = positionLots;
  }
  openCountOf(acct: number): number {
    return this.i32[(acct << I_SHIFT) + A_OPEN_COUNT]!;
  }
  reduceOnlyHeadOf(acct: number): number {
    return this.i32[(acct << I_SHIFT) + A_RO_HEAD]!;
  }
  stpOf(acct: number): number {
    return this.i32[(acct << I_SHIFT) + A_STP]!;
  }
  setStp(acct: number, stpMode: number): void {
    this.i32[(acct << I_SHIFT) + A_STP] = stpMode;
  }

  /** Adds a reduce-only order to the front of the account's reduce-only list. */
  linkReduceOnly(acct: number, slot: number): void {
    const pool = this.pool;
    pool.useReduceOnlyLinks();
    const o = (acct << I_SHIFT) + A_RO_HEAD;
    const h = this.i32[o]!;
    pool.roPrev[slot] = -1;
    pool.roNext[slot] = h;
    if (h >= 0) pool.roPrev[h] = slot;
    this.i32[o] = slot;
  }

  unlinkReduceOnly(acct: number, slot: number): void {
    const pool = this.pool;
    const p = pool.roPrev[slot]!;
    const n = pool.roNext[slot]!;
    if (p >= 0) pool.roNext[p] = n;
    else this.i32[(acct << I_SHIFT) + A_RO_HEAD] = n;
    if (n >= 0) pool.roPrev[n] = p;
  }

  byteLength(): number {
    return this.f64.byteLength + this.simEpoch.byteLength + this.simDelta.byteLength + this.buckets.byteLength;
  }

  private add(accountId: number): number {
    if (this.size === this.capacity) this.grow(this.capacity * 2);
    const slot = this.size++;
    this.f64[(slot << F_SHIFT) + A_ID] = accountId;
    this.i32[(slot << I_SHIFT) + A_STP] = EXPIRE_TAKER;
    this.i32[(slot << I_SHIFT) + A_RO_HEAD] = -1;
    this.insertBucket(slot);
    return slot;
  }

  private insertBucket(slot: number): void {
    let i = bucketOf(this.f64[(slot << F_SHIFT) + A_ID]!, this.shift);
    while (this.buckets[i] !== 0) i = (i + 1) & this.mask;
    this.buckets[i] = slot + 1;
  }

  private grow(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * BYTES);
    new Uint8Array(buffer).set(new Uint8Array(this.f64.buffer));
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
    const epoch = new Int32Array(capacity);
    epoch.set(this.simEpoch);
    this.simEpoch = epoch;
    const delta = new Float64Array(capacity);
    delta.set(this.simDelta);
    this.simDelta = delta;
    this.capacity = capacity;
    this.buckets = new Int32Array(capacity * 2);
    this.mask = capacity * 2 - 1;
    this.shift = Math.clz32(capacity * 2) + 1;
    for (let s = 0; s < this.size; s++) this.insertBucket(s);
  }
}
