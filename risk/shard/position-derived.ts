// The figures published with every PositionUpdated (state.ts re-exports the class). Prices and UPnL
// read and write as bigint and live in number slots with a bigint overflow (exact-slot.ts).
// Thread contract: the risk-shard thread.

import { fitsNumber, numberSlot } from './exact-slot.js';

/** Bigint slots: the three here, then PositionState's six (qty, entry cost, realized PnL, M_iso, order margin, leverage). */
const OVERFLOW_SLOTS = 9;

/** Values published with every PositionUpdated, recomputed when the position's scope changes. */
export class PositionDerived {
  /** Number slots of the three prices and UPnL (NaN: the value is in the bigint slot). */
  liquidationPriceN = 0;
  bankruptcyPriceN = 0;
  unrealizedPnlN = 0;
  /** 1-based tier of the notional at mark; 0 when flat. */
  tier = 0;
  adlQuintile = 0;
  /**
   * The bigint slots of this object's number slots (and of PositionState's, which extends it), made only
   * when one value passes 2^53: nine bigint fields on every position were 72 bytes each of a million
   * positions that a snapshot decode builds, for values that nearly never need them.
   */
  private overflow: bigint[] | undefined = undefined;

  /** The bigint slot i (0n when never set). */
  protected bigAt(i: number): bigint {
    return this.overflow === undefined ? 0n : this.overflow[i]!;
  }

  /** Sets bigint slot i for v: v when it does not fit a number slot, else 0n (nothing kept alive). */
  protected setBig(i: number, v: bigint): void {
    if (fitsNumber(v)) {
      if (this.overflow !== undefined) this.overflow[i] = 0n;
    } else (this.overflow ??= new Array<bigint>(OVERFLOW_SLOTS).fill(0n))[i] = v;
  }

  get liquidationPriceTicks(): bigint {
    return this.liquidationPriceN === this.liquidationPriceN ? BigInt(this.liquidationPriceN) : this.bigAt(0);
  }
  set liquidationPriceTicks(v: bigint) {
    this.liquidationPriceN = numberSlot(v);
    this.setBig(0, v);
  }

  get bankruptcyPriceTicks(): bigint {
    return this.bankruptcyPriceN === this.bankruptcyPriceN ? BigInt(this.bankruptcyPriceN) : this.bigAt(1);
  }
  set bankruptcyPriceTicks(v: bigint) {
    this.bankruptcyPriceN = numberSlot(v);
    this.setBig(1, v);
  }

  get unrealizedPnlAtoms(): bigint {
    return this.unrealizedPnlN === this.unrealizedPnlN ? BigInt(this.unrealizedPnlN) : this.bigAt(2);
  }
  set unrealizedPnlAtoms(v: bigint) {
    this.unrealizedPnlN = numberSlot(v);
    this.setBig(2, v);
  }
}
