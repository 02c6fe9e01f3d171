// RankingJob: one ADL ranking of one market (quintiles.ts), taken as a snapshot of the market at the
// job's start and spread over input records, so a market of a million positions never blocks the shard.
//
//   members   the open positions of the market when the job starts (trigger slots created before it)
//   values    each member as it stood at the start: quantity, entry cost, and its scope's equity valued at
//             every market's mark at the start (both sides of the key of queue-quintiles.ts)
//   sweep     step(), once per input record: members are visited through the slot map (an iterator kept
//             across records) and keyed, until at least perRecord·(records so far) are keyed; the job
//             ends at its K-th record, K = ceil(members / perRecord), whatever else happened
//   rank      then the boundaries of each side (queue-quintiles.ts SideRanking), one step per record:
//             the selection of the approximate boundary scores, then each boundary's window
//   ahead     anything about to change a member's quantity, cost, wallet, isolated margin or margin mode
//             calls take(slot) first (QuintileCache.beforeChange), so the member is keyed while it still
//             stands as it did at the start
//
// A member is therefore always keyed with its values at the start, whether the sweep or a change got to
// it first: the boundaries the job finds are exactly those of a ranking of the whole market at its start,
// independent of map order and of how keying and changes interleave, and the job ends after a number of
// records fixed at its start (members and sides known). Positions opened after the start are not members.
// Thread contract: the risk-shard thread.

import type { AdlCandidate } from '../adl.js';
import { TWO_51 } from '../exact-number.js';
import { productBelow51 } from '../margin-number.js';
import { approximateScore, approximateScoreNumber, SideRanking, type SideMembers, type SideQuintiles } from './queue-quintiles.js';
import { addExact } from './exact-slot.js';
import { MarginMode, type AccountState, type PositionState, type RiskState } from './state.js';
import type { MarketTriggers, TriggerSlot } from './trigger-index.js';

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
class SnapshotSide implements SideMembers {
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

  /** Every member keyed so far, sealed or not. */
  forEach(f: (accountId: number, c: AdlCandidate) => void): void {
    const c = this.columns;
    for (let k = 0; k < this.n; k++) {
      const i = this.fromBack ? c.capacity - 1 - k : k;
      f(c.accountIds[i]!, this.big.get(i) ?? { accountId: c.accountIds[i]!, qtyLots: BigInt(c.qty[i]!), entryCostAtoms: BigInt(c.cost[i]!), scopeEquityAtoms: BigInt(c.equity[i]!), system: false });
    }
  }
}

export class RankingJob {
  readonly longs: SnapshotSide;
  readonly shorts: SnapshotSide;
  /** Members keyed so far. */
  keyed = 0;
  /** Records left before the job ends (it ends in the step that brings this to 0). */
  recordsLeft: number;
  readonly members: number;
  readonly startSerial: number;
  private readonly records: number;
  private readonly slots: IterableIterator<TriggerSlot>;
  /** Every market's mark at the start, as numbers (NaN past their range) and as bigints. */
  private readonly marks = new Map<number, number>();
  private readonly bigMarks = new Map<number, bigint>();
  private readonly markTicks: bigint;
  private readonly atomsPerTickLot: bigint;
  private readonly markN: number;
  private readonly atomsPerTickLotN: number;
  private longRanking: SideRanking | undefined;
  private shortRanking: SideRanking | undefined;
  private longDone = false;

  constructor(
    readonly id: number,
    private readonly state: RiskState,
    private readonly triggers: MarketTriggers,
    private readonly perRecord: number,
    columns: SnapshotColumns,
    /** The mark epoch and input time of the start (the ranking's epoch and build time). */
    readonly epoch: number,
    readonly startUs: number,
  ) {
    this.members = triggers.slots.size;
    columns.reserve(this.members);
    this.longs = new SnapshotSide(columns, false);
    this.shorts = new SnapshotSide(columns, true);
    this.startSerial = triggers.nextSerial;
    this.records = Math.max(1, Math.ceil(this.members / perRecord));
    this.recordsLeft = this.records;
    this.slots = triggers.slots.values();
    for (const [marketId, m] of state.markets) {
      this.marks.set(marketId, m.markN);
      this.bigMarks.set(marketId, m.markPriceTicks);
    }
    const market = state.markets.get(triggers.marketId)!;
    this.markTicks = market.markPriceTicks;
    this.atomsPerTickLot = market.spec.atomsPerTickLot;
    this.markN = market.markN;
    this.atomsPerTickLotN = market.atomsPerTickLotN;
  }

  /** Keys the slot's member now, unless it is not a member or already keyed (values as at the start). */
  take(slot: TriggerSlot): void {
    if (slot.rankedBy === this.id || slot.serial >= this.startSerial) return;
    slot.rankedBy = this.id;
    this.keyed++;
    const pos = slot.pos;
    const account = slot.account;
    const q = pos.qtyN;
    const cost = pos.entryCostN;
    const equity = this.equityNumber(account, pos);
    const key = approximateScoreNumber(q, cost, equity, this.markN, this.atomsPerTickLotN);
    if (key === key && cost === cost && q === q) {
      const notional = productBelow51(q < 0 ? -q : q, this.markN, this.atomsPerTickLotN);
      (q > 0 ? this.longs : this.shorts).add(key, notional, pos.accountId, q, cost, equity, undefined);
      return;
    }
    const c: AdlCandidate = { accountId: pos.accountId, qtyLots: pos.qtyLots, entryCostAtoms: pos.entryCostAtoms, scopeEquityAtoms: this.equityBig(account, pos), system: false };
    const bigKey = approximateScore(c.qtyLots, c.entryCostAtoms, c.scopeEquityAtoms, this.markTicks, this.atomsPerTickLot);
    (c.qtyLots > 0n ? this.longs : this.shorts).add(bigKey, NaN, pos.accountId, 0, 0, 0, c);
  }

  /** One record's share; true when the job has ended (then result() gives its boundaries). */
  step(): boolean {
    if (this.recordsLeft > 0) {
      this.recordsLeft--;
      const target = this.recordsLeft === 0 ? this.members : Math.min(this.members, this.perRecord * (this.records - this.recordsLeft));
      while (this.keyed < target) {
        const next = this.slots.next();
        if (next.done === true) break;
        this.take(next.value);
      }
      if (this.recordsLeft > 0) return false;
      this.longs.seal();
      this.shorts.seal();
      this.longRanking = new SideRanking(this.longs, this.markTicks, this.atomsPerTickLot);
      this.shortRanking = new SideRanking(this.shorts, this.markTicks, this.atomsPerTickLot);
      return false;
    }
    if (!this.longDone) {
      this.longDone = this.longRanking!.step();
      return false;
    }
    return this.shortRanking!.step();
  }

  /** Runs the job to its end at once (a market small enough for one record's budget). */
  runToEnd(): void {
    this.recordsLeft = 1;
    while (!this.step());
  }

  /** The boundaries found (after step() returned true). */
  result(): { longs: SideQuintiles; shorts: SideQuintiles } {
    return { longs: this.longRanking!.result(), shorts: this.shortRanking!.result() };
  }

  /** Records left, keying and ranking steps, for the state hash. */
  get progress(): number {
    return this.recordsLeft * 16 + (this.longDone ? 8 : 0) + (this.longRanking === undefined ? 0 : 1);
  }

  /**
   * Every member with its values at the start, for the state hash: the keyed ones as stored, the others as
   * they stand (unchanged since the start). Order: whatever the caller sorts.
   */
  forEachMember(f: (accountId: number, candidate: AdlCandidate) => void): void {
    this.longs.forEach(f);
    this.shorts.forEach(f);
    for (const slot of this.triggers.slots.values()) {
      if (slot.rankedBy === this.id || slot.serial >= this.startSerial) continue;
      const pos = slot.pos;
      const account = slot.account;
      f(pos.accountId, { accountId: pos.accountId, qtyLots: pos.qtyLots, entryCostAtoms: pos.entryCostAtoms, scopeEquityAtoms: this.equityBig(account, pos), system: false });
    }
  }

  /** The scope's equity at the start marks, in numbers: NaN when a value is past the number range. */
  private equityNumber(account: AccountState, pos: PositionState): number {
    if (pos.marginMode === MarginMode.ISOLATED) return addExact(pos.isolatedMarginN, this.unrealizedNumber(pos));
    let equity = account.walletN;
    const all = account.positionsInOrder();
    for (let i = 0; i < all.length; i++) {
      const p = all[i]!;
      if (p.marginMode === MarginMode.CROSS && p.qtyN !== 0) equity = addExact(equity, this.unrealizedNumber(p));
    }
    return equity;
  }

  private unrealizedNumber(pos: PositionState): number {
    const q = pos.qtyN;
    const own = pos.marketId === this.triggers.marketId;
    const mark = own ? this.markN : this.marks.get(pos.marketId)!;
    if (q === 0 || mark === 0) return 0;
    const cost = pos.entryCostN;
    if (!(cost >= 0 && cost < TWO_51)) return NaN;
    const n = productBelow51(q < 0 ? -q : q, mark, own ? this.atomsPerTickLotN : this.state.markets.get(pos.marketId)!.atomsPerTickLotN);
    return q > 0 ? n - cost : cost - n;
  }

  /** The same in bigint (the start marks as bigints). */
  private equityBig(account: AccountState, pos: PositionState): bigint {
    if (pos.marginMode === MarginMode.ISOLATED) return pos.isolatedMarginAtoms + this.unrealizedBig(pos);
    let equity = account.walletAtoms;
    for (const p of account.positionsInOrder()) if (p.marginMode === MarginMode.CROSS && p.qtyLots !== 0n) equity += this.unrealizedBig(p);
    return equity;
  }

  private unrealizedBig(pos: PositionState): bigint {
    const q = pos.qtyLots;
    const mark = this.bigMarks.get(pos.marketId)!;
    if (q === 0n || mark <= 0n) return 0n;
    const n = (q > 0n ? q : -q) * mark * this.state.markets.get(pos.marketId)!.spec.atomsPerTickLot;
    return q > 0n ? n - pos.entryCostAtoms : pos.entryCostAtoms - n;
  }
}
