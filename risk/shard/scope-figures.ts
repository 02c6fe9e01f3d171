// A scope's margin totals (a cross account, or one isolated position), as scope-margin.ts and the scope
// evaluator compute them. The money fields read and write as bigint and live in number slots with a
// bigint overflow (exact-slot.ts): the number fast path fills the slots directly (finishNumber), the
// bigint path through the setters (finish).
// Thread contract: the risk-shard thread. The objects are reused by their owner, never shared.

import { mulDivCeil, mulDivFloor } from '../exact-number.js';
import { marginRatioRate } from '../margin.js';
import { RATE_ONE_NUMBER } from '../margin-number.js';
import { RATE_ONE } from '../units.js';
import { addExact, bigSlot, numberSlot, slotValue } from './exact-slot.js';

export class ScopeFigures {
  /** Number slots (NaN: the value is in the bigint slot). */
  collateralN = 0;
  unrealizedPnlN = 0;
  equityN = 0;
  maintenanceN = 0;
  initialN = 0;
  orderInitialN = 0;
  availableN = 0;
  withdrawableN = 0;
  /** The scope holds at least one open position. */
  open = false;
  private collateralBig = 0n;
  private unrealizedPnlBig = 0n;
  private equityBig = 0n;
  private maintenanceBig = 0n;
  private initialBig = 0n;
  private orderInitialBig = 0n;
  private availableBig = 0n;
  private withdrawableBig = 0n;
  /**
   * marginRatioOrMinusOne() of these figures, once asked (undefined: not yet): an evaluation publishes it
   * with each PositionUpdated of the scope and again in AccountUpdated. Forgotten by every setter and by
   * finish()/finishNumber(), which every writer of the number slots ends with (scope-margin.ts, scope-evaluator.ts).
   */
  private ratio: bigint | number | undefined = undefined;

  /** WB (cross) or M_iso (isolated). */
  get collateralAtoms(): bigint {
    return slotValue(this.collateralN, this.collateralBig);
  }
  set collateralAtoms(v: bigint) {
    this.collateralN = numberSlot(v);
    this.collateralBig = bigSlot(v);
    this.ratio = undefined;
  }

  get unrealizedPnlAtoms(): bigint {
    return slotValue(this.unrealizedPnlN, this.unrealizedPnlBig);
  }
  set unrealizedPnlAtoms(v: bigint) {
    this.unrealizedPnlN = numberSlot(v);
    this.unrealizedPnlBig = bigSlot(v);
    this.ratio = undefined;
  }

  get equityAtoms(): bigint {
    return slotValue(this.equityN, this.equityBig);
  }
  set equityAtoms(v: bigint) {
    this.equityN = numberSlot(v);
    this.equityBig = bigSlot(v);
    this.ratio = undefined;
  }

  get maintenanceAtoms(): bigint {
    return slotValue(this.maintenanceN, this.maintenanceBig);
  }
  set maintenanceAtoms(v: bigint) {
    this.maintenanceN = numberSlot(v);
    this.maintenanceBig = bigSlot(v);
    this.ratio = undefined;
  }

  /** IM of the positions. */
  get initialAtoms(): bigint {
    return slotValue(this.initialN, this.initialBig);
  }
  set initialAtoms(v: bigint) {
    this.initialN = numberSlot(v);
    this.initialBig = bigSlot(v);
    this.ratio = undefined;
  }

  /** IM reserved for open orders charged to this scope. */
  get orderInitialAtoms(): bigint {
    return slotValue(this.orderInitialN, this.orderInitialBig);
  }
  set orderInitialAtoms(v: bigint) {
    this.orderInitialN = numberSlot(v);
    this.orderInitialBig = bigSlot(v);
    this.ratio = undefined;
  }

  get availableAtoms(): bigint {
    return slotValue(this.availableN, this.availableBig);
  }
  set availableAtoms(v: bigint) {
    this.availableN = numberSlot(v);
    this.availableBig = bigSlot(v);
    this.ratio = undefined;
  }

  get withdrawableAtoms(): bigint {
    return slotValue(this.withdrawableN, this.withdrawableBig);
  }
  set withdrawableAtoms(v: bigint) {
    this.withdrawableN = numberSlot(v);
    this.withdrawableBig = bigSlot(v);
    this.ratio = undefined;
  }

  get liquidatable(): boolean {
    if (!this.open) return false;
    const e = this.equityN;
    const mm = this.maintenanceN;
    return e === e && mm === mm ? e <= mm : this.equityAtoms <= this.maintenanceAtoms;
  }

  /** Equity below the positions' initial margin: only risk-reducing orders are accepted (docs/RISK.md). */
  get belowInitial(): boolean {
    if (!this.open) return false;
    const e = this.equityN;
    const im = this.initialN;
    return e === e && im === im ? e < im : this.equityAtoms < this.initialAtoms;
  }

  /** −1, 0 or 1 as equity is negative, zero or positive. */
  equitySign(): number {
    const e = this.equityN;
    if (e === e) return e < 0 ? -1 : e > 0 ? 1 : 0;
    return this.equityBig < 0n ? -1 : 1;
  }

  /** Σ MM / Equity in 10^-8, rounded up; undefined when Equity ≤ 0 with a position open (shown as ∞). */
  marginRatio(): bigint | undefined {
    return marginRatioRate(this.maintenanceAtoms, this.equityAtoms);
  }

  /** marginRatio() as published: −1 for undefined; the number path, bigint when a guard refuses. */
  marginRatioOrMinusOne(): bigint | number {
    return (this.ratio ??= this.ratioOrMinusOne());
  }

  private ratioOrMinusOne(): bigint | number {
    const mm = this.maintenanceN;
    const e = this.equityN;
    if (mm === 0) return 0;
    if (mm === mm && e === e) {
      if (e <= 0) return -1;
      const r = mulDivCeil(mm, RATE_ONE_NUMBER, e);
      if (r === r) return r;
    }
    return this.marginRatio() ?? -1n;
  }

  /**
   * At or past the margin-call ratio r (an open scope with equity ≤ 0 always is). The published ratio is
   * ceil(MM·R / E), and ceil(x) ≥ r exactly when x > r − 1; in numbers MM·R > (r − 1)·E exactly when
   * MM > floor((r − 1)·E / R), MM being an integer.
   */
  calledAt(ratioRate: bigint, ratioRateN: number): boolean {
    if (!this.open) return false;
    const mm = this.maintenanceN;
    const e = this.equityN;
    if (mm === mm && e === e) {
      if (e <= 0) return mm > 0;
      const f = mulDivFloor(ratioRateN - 1, e, RATE_ONE_NUMBER);
      if (f === f) return mm > f;
    }
    const equity = this.equityAtoms;
    const maintenance = this.maintenanceAtoms;
    if (equity <= 0n) return maintenance > 0n;
    return maintenance * RATE_ONE > (ratioRate - 1n) * equity;
  }

  finish(): void {
    this.ratio = undefined;
    this.equityAtoms = this.collateralAtoms + this.unrealizedPnlAtoms;
    const free = this.equityAtoms - this.initialAtoms - this.orderInitialAtoms;
    this.availableAtoms = free > 0n ? free : 0n;
    const w = this.collateralAtoms < this.availableAtoms ? this.collateralAtoms : this.availableAtoms;
    this.withdrawableAtoms = w > 0n ? w : 0n;
  }

  /**
   * finish() on the number slots, all of which must hold exact values; false when a result leaves the
   * exact range (the caller then recomputes the scope in bigint).
   */
  finishNumber(): boolean {
    this.ratio = undefined;
    const equity = addExact(this.collateralN, this.unrealizedPnlN);
    const free = addExact(addExact(equity, -this.initialN), -this.orderInitialN);
    if (free !== free) return false;
    this.equityN = equity;
    this.availableN = free > 0 ? free : 0;
    const w = this.collateralN < this.availableN ? this.collateralN : this.availableN;
    this.withdrawableN = w > 0 ? w : 0;
    return true;
  }
}
