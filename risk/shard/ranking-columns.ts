// The columns a ranking job (ranking-job.ts) keys its members into, and one side's view of them: the
// members' exact values at the job's start, as numbers where they are exact and as bigint candidates
// past that range. Split from the job so each file holds one concept.
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import type { AdlCandidate } from '../adl.js';
import type { SideMembers } from './queue-quintiles.js';

/**
 * The columns a ranking job keys into, kept by the cache between jobs (a market of a million positions
 * would otherwise allocate tens of megabytes per ranking): longs fill them from the front, shorts from
 * the back, so one capacity of the member count holds both sides.
 */
export class SnapshotColumns {
  capacity = 0;
  keys = new Float64Array(0);
  notionals = new Float64Array(0);
  accountIds = new Float64Array(0);
  qty = new Float64Array(0);
  cost = new Float64Array(0);
  equity = new Float64Array(0);

  /** Room for `members`, reallocated only when it grows past the capacity (then with headroom). */
  reserve(members: number): void {
    if (members <= this.capacity) return;
    const c = Math.max(members, Math.ceil(this.capacity * 1.5));
    this.capacity = c;
    this.keys = new Float64Array(c);
    this.notionals = new Float64Array(c);
    this.accountIds = new Float64Array(c);
    this.qty = new Float64Array(c);
    this.cost = new Float64Array(c);
    this.equity = new Float64Array(c);
  }
}

/** One side's members in the shared columns: exact values by index (numbers, or a bigint candidate past their range). */
export class SnapshotSide implements SideMembers {
  n = 0;
  keys: Float64Array;
  notionals: Float64Array;
  accountIds: Float64Array;
  private qty: Float64Array;
  private cost: Float64Array;
  private equity: Float64Array;
  /** Candidates kept in bigint, by absolute column index. */
  private readonly big = new Map<number, AdlCandidate>();
  private base = 0;

  constructor(
    private readonly columns: SnapshotColumns,
    private readonly fromBack: boolean,
  ) {
    this.keys = columns.keys;
    this.notionals = columns.notionals;
    this.accountIds = columns.accountIds;
    this.qty = columns.qty;
    this.cost = columns.cost;
    this.equity = columns.equity;
  }

  add(key: number, notional: number, accountId: number, qty: number, cost: number, equity: number, big: AdlCandidate | undefined): void {
    const i = this.fromBack ? this.columns.capacity - 1 - this.n : this.n;
    this.n++;
    this.keys[i] = key;
    this.notionals[i] = notional;
    this.accountIds[i] = accountId;
    this.qty[i] = qty;
    this.cost[i] = cost;
    this.equity[i] = equity;
    if (big !== undefined) this.big.set(i, big);
  }

  /** After keying: the side's columns become views of [0, n) so the ranking reads index 0..n−1. */
  seal(): void {
    const c = this.columns;
    this.base = this.fromBack ? c.capacity - this.n : 0;
    const end = this.base + this.n;
    this.keys = c.keys.subarray(this.base, end);
    this.notionals = c.notionals.subarray(this.base, end);
    this.accountIds = c.accountIds.subarray(this.base, end);
    this.qty = c.qty.subarray(this.base, end);
    this.cost = c.cost.subarray(this.base, end);
    this.equity = c.equity.subarray(this.base, end);
  }

  /** The exact candidate of sealed index i. */
  candidateAt(i: number): AdlCandidate {
    const big = this.big.get(this.base + i);
    if (big !== undefined) return big;
    return { accountId: this.accountIds[i]!, qtyLots: BigInt(this.qty[i]!), entryCostAtoms: BigInt(this.cost[i]!), scopeEquityAtoms: BigInt(this.equity[i]!), system: false };
  }

  /** Snapshot: the keyed members as the columns hold them (relative order kept), bigint candidates by index. */
  writeState(w: SnapshotWriter): void {
    const c = this.columns;
    const lo = this.fromBack ? c.capacity - this.n : 0;
    w.uint(this.n);
    for (const col of [c.keys, c.notionals, c.accountIds, c.qty, c.cost, c.equity]) w.f64s(col.subarray(lo, lo + this.n));
    w.uint(this.big.size);
    for (const [i, b] of this.big) {
      w.uint(i - lo);
      w.uint(b.accountId);
      w.big(b.qtyLots);
      w.big(b.entryCostAtoms);
      w.big(b.scopeEquityAtoms);
    }
  }

  /** Reads what writeState wrote into this (empty, unsealed) side; room is the members' count. */
  readState(r: SnapshotReader, room: number): void {
    const n = r.uint();
    if (n > room) throw malformed(`${r.what}: ${n} keyed members on one side of a job of ${room}`);
    const c = this.columns;
    const lo = this.fromBack ? c.capacity - n : 0;
    for (const col of [c.keys, c.notionals, c.accountIds, c.qty, c.cost, c.equity]) col.set(r.f64s(n), lo);
    const bigs = r.count(4);
    for (let k = 0; k < bigs; k++) {
      const i = r.uint();
      if (i >= n) throw malformed(`${r.what}: bigint member ${i} of ${n}`);
      this.big.set(lo + i, { accountId: r.uint(), qtyLots: r.big(), entryCostAtoms: r.big(), scopeEquityAtoms: r.big(), system: false });
    }
    this.n = n;
  }

  /** Every member keyed so far, sealed or not: numbers where the columns hold them, else its bigint candidate. */
  forEach(f: MemberValues): void {
    const c = this.columns;
    for (let k = 0; k < this.n; k++) {
      const i = this.fromBack ? c.capacity - 1 - k : k;
      const b = this.big.get(i);
      if (b === undefined) f(c.accountIds[i]!, c.qty[i]!, c.cost[i]!, c.equity[i]!);
      else f(b.accountId, b.qtyLots, b.entryCostAtoms, b.scopeEquityAtoms);
    }
  }
}

/** A member's values at a job's start: quantity, entry cost, scope equity, exact as numbers or bigints. */
export type MemberValues = (accountId: number, qtyLots: number | bigint, entryCostAtoms: number | bigint, scopeEquityAtoms: number | bigint) => void;

/** The same with whether the values are those the member's state gives now (RankingJob.forEachMemberNow). */
export type FlaggedValues = (accountId: number, qtyLots: number | bigint, entryCostAtoms: number | bigint, scopeEquityAtoms: number | bigint, same?: boolean) => void;
