// RankingJob: one ADL ranking of one market (quintiles.ts), taken as a snapshot of the market at the
// job's start and spread over input records, so a market of a million positions never blocks the shard.
//
//   members   the open positions of the market when the job starts (trigger slots created before it)
//   values    each member as it stood at the start: quantity, entry cost, and its scope's equity valued at
//             every market's mark at the start (both sides of the key of queue-quintiles.ts)
//   sweep     step(), once per input record: members are visited in the slots' creation order (a cursor kept
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

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import type { AdlCandidate } from '../adl.js';
import { TWO_51 } from '../exact-number.js';
import { productBelow51 } from '../margin-number.js';
import { approximateScore, approximateScoreNumber, SideRanking, type SideQuintiles } from './queue-quintiles.js';
import { SnapshotColumns, SnapshotSide, type FlaggedValues, type MemberValues } from './ranking-columns.js';
import { addExact } from './exact-slot.js';
import { MarginMode, type AccountState, type PositionState, type RiskState } from './state.js';
import { NO_SLOT } from './market-slots.js';
import type { MarketTriggers } from './trigger-index.js';

/** The market as a job starts from it: its members, the serial that bounds them, every market's mark. */
export interface RankingStart {
  readonly members: number;
  readonly startSerial: number;
  /** (market id, mark as a number slot, mark as bigint), in the state's market order. */
  readonly marks: readonly (readonly [number, number, bigint])[];
}

function startOf(state: RiskState, triggers: MarketTriggers): RankingStart {
  return {
    members: triggers.size,
    startSerial: triggers.nextSerial,
    marks: [...state.markets].map(([id, m]) => [id, m.markN, m.markPriceTicks] as const),
  };
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
    /** The market at the start: now, unless a snapshot restores a job that started earlier. */
    start: RankingStart = startOf(state, triggers),
  ) {
    this.members = start.members;
    columns.reserve(this.members);
    this.longs = new SnapshotSide(columns, false);
    this.shorts = new SnapshotSide(columns, true);
    this.startSerial = start.startSerial;
    this.records = Math.max(1, Math.ceil(this.members / perRecord));
    this.recordsLeft = this.records;
    // A restored job sweeps the slots from the first: members keyed already are skipped (take), so the
    // sweep keys the same number per record and every member with its values at the start.
    triggers.startSweep();
    for (const [marketId, markN, markTicks] of start.marks) {
      this.marks.set(marketId, markN);
      this.bigMarks.set(marketId, markTicks);
    }
    const market = state.markets.get(triggers.marketId)!;
    this.markTicks = this.bigMarks.get(triggers.marketId)!;
    this.atomsPerTickLot = market.spec.atomsPerTickLot;
    this.markN = this.marks.get(triggers.marketId)!;
    this.atomsPerTickLotN = market.atomsPerTickLotN;
  }

  /**
   * Snapshot (QUIN section): the start (members, serial, every market's mark), the progress, both sides'
   * keyed members in column order, and how many ranking steps each side has taken.
   */
  writeState(w: SnapshotWriter): void {
    w.uint(this.id);
    w.uint(this.epoch);
    w.uint(this.startUs);
    w.uint(this.members);
    w.uint(this.startSerial);
    w.uint(this.marks.size);
    for (const [marketId, markN] of this.marks) {
      w.uint(marketId);
      w.f64(markN);
      w.big(this.bigMarks.get(marketId)!);
    }
    w.uint(this.recordsLeft);
    w.uint(this.keyed);
    this.longs.writeState(w);
    this.shorts.writeState(w);
    w.bool(this.longDone);
    w.uint(this.longRanking?.stepsTaken ?? 0);
    w.uint(this.shortRanking?.stepsTaken ?? 0);
  }

  /**
   * Reads a job writeState wrote. The ranking steps are not stored but taken again: each is a function of
   * the sealed columns, so the same steps give the same state.
   */
  static readState(r: SnapshotReader, state: RiskState, triggers: MarketTriggers, perRecord: number, columns: SnapshotColumns): RankingJob {
    const id = r.uint();
    const epoch = r.uint();
    const startUs = r.uint();
    const members = r.uint();
    const startSerial = r.uint();
    const marks: [number, number, bigint][] = [];
    const n = r.count(3);
    for (let i = 0; i < n; i++) marks.push([r.uint(), r.f64(), r.big()]);
    // Members not keyed yet are open positions still (a change keys a member first), and every keyed one
    // takes its columns' bytes: a member count past both is no job's.
    const room = triggers.size + Math.floor(r.remaining / 48);
    if (n !== state.markets.size || marks.some(([m]) => !state.markets.has(m)) || members > triggers.nextSerial || members > room) throw malformed(`${r.what}: job ${id} of market ${triggers.marketId}: ${n} marks, ${members} members`);
    const job = new RankingJob(id, state, triggers, perRecord, columns, epoch, startUs, { members, startSerial, marks });
    job.recordsLeft = r.uint();
    job.keyed = r.uint();
    job.longs.readState(r, members);
    job.shorts.readState(r, members);
    const longDone = r.bool();
    const longSteps = r.uint();
    const shortSteps = r.uint();
    if (job.recordsLeft > job.records || job.keyed !== job.longs.n + job.shorts.n || job.keyed > members) throw malformed(`${r.what}: job ${id}: ${job.recordsLeft} of ${job.records} records left, ${job.keyed} keyed of ${members}`);
    if (job.recordsLeft > 0) {
      if (longDone || longSteps > 0 || shortSteps > 0) throw malformed(`${r.what}: job ${id} ranks before its sweep ended`);
      return job;
    }
    job.beginRanking();
    const long = job.longRanking!;
    const short = job.shortRanking!;
    // A job still in the cache has not finished its short side (finishing removes it).
    if (longSteps > long.steps || shortSteps >= short.steps || (!longDone && shortSteps > 0)) throw malformed(`${r.what}: job ${id}: ${longSteps} long and ${shortSteps} short ranking steps`);
    for (let i = 0; i < longSteps; i++) if (long.step()) job.longDone = true;
    // A side with no boundary to find is done at its first step without counting one.
    if (longDone && !job.longDone && long.stepsTaken === 0 && long.step()) job.longDone = true;
    if (job.longDone !== longDone) throw malformed(`${r.what}: job ${id}: long ranking done ${longDone} after ${longSteps} steps`);
    for (let i = 0; i < shortSteps; i++) short.step();
    if (long.stepsTaken !== longSteps || short.stepsTaken !== shortSteps) throw malformed(`${r.what}: job ${id}: ranking steps do not replay`);
    return job;
  }

  /**
   * Keys the member in trigger slot `slot` now, unless it is not a member or already keyed (values as at
   * the start).
   */
  take(slot: number): void {
    const t = this.triggers;
    if (t.rankedByAt(slot) === this.id || t.serialAt(slot) >= this.startSerial) return;
    t.setRankedBy(slot, this.id);
    this.keyed++;
    const pos = t.posAt(slot);
    const account = t.accountAt(slot);
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
        const next = this.triggers.nextInSweep();
        if (next === NO_SLOT) break;
        this.take(next);
      }
      if (this.recordsLeft > 0) return false;
      this.beginRanking();
      return false;
    }
    if (!this.longDone) {
      this.longDone = this.longRanking!.step();
      return false;
    }
    return this.shortRanking!.step();
  }

  /** The sweep is over: the sides' columns are sealed and their rankings begin. */
  private beginRanking(): void {
    this.longs.seal();
    this.shorts.seal();
    this.longRanking = new SideRanking(this.longs, this.markTicks, this.atomsPerTickLot);
    this.shortRanking = new SideRanking(this.shorts, this.markTicks, this.atomsPerTickLot);
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
   * they stand (unchanged since the start); each value a number where it is exact, else a bigint. Order:
   * whatever the caller sorts.
   */
  forEachMember(f: MemberValues): void {
    this.forEachKeyed(f);
    const t = this.triggers;
    t.forEachSlot((slot) => {
      if (t.rankedByAt(slot) === this.id || t.serialAt(slot) >= this.startSerial) return;
      this.valuesNow(t.posAt(slot), t.accountAt(slot), f);
    });
  }

  /** The member's values as its position and account stand now, at the start marks. */
  private valuesNow(pos: PositionState, account: AccountState, f: MemberValues): void {
    const q = pos.qtyN;
    const cost = pos.entryCostN;
    const equity = this.equityNumber(account, pos);
    f(pos.accountId, q === q ? q : pos.qtyLots, cost === cost ? cost : pos.entryCostAtoms, equity === equity ? equity : this.equityBig(account, pos));
  }

  /**
   * Every member for the state hash of definition 2, keyed ones first, in no particular order: its account
   * id, its values at the start, and whether those are the values its position and account give now at the
   * start marks (`same`). A member not keyed yet always is (take keys a member before anything changes
   * it), so it is given with `same` and zeros, and no position or account of one is read; a keyed member
   * is compared (QuintileCache.forEachJobStart).
   */
  forEachMemberNow(f: FlaggedValues): void {
    const t = this.triggers;
    const marketId = t.marketId;
    let now: [number | bigint, number | bigint, number | bigint] | undefined;
    const keep: MemberValues = (_id, q, cost, equity) => void (now = [q, cost, equity]);
    this.forEachKeyed((accountId, q, cost, equity) => {
      const pos = this.state.accounts.get(accountId)?.positions.get(marketId);
      const slot = pos === undefined ? NO_SLOT : pos.triggerId;
      now = undefined;
      // Still the member's own slot (keyed by this job): its values now to compare with.
      if (pos !== undefined && slot !== NO_SLOT && t.rankedByAt(slot) === this.id) this.valuesNow(pos, t.accountAt(slot), keep);
      const same = now !== undefined && now[0] === q && now[1] === cost && now[2] === equity;
      f(accountId, q, cost, equity, same);
    });
    t.forEachSlot((slot) => {
      if (t.rankedByAt(slot) !== this.id && t.serialAt(slot) < this.startSerial) f(t.accountIdAt(slot), 0, 0, 0, true);
    });
  }

  /** The keyed members with their values at the start, as stored (each side in column order). */
  forEachKeyed(f: MemberValues): void {
    this.longs.forEach(f);
    this.shorts.forEach(f);
  }

  /** Every market's mark at the start, by ascending market id. */
  forEachStartMark(f: (marketId: number, markN: number, markTicks: bigint) => void): void {
    for (const marketId of [...this.marks.keys()].sort((a, b) => a - b)) f(marketId, this.marks.get(marketId)!, this.bigMarks.get(marketId)!);
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
