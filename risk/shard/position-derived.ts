// The figures published with every PositionUpdated (state.ts re-exports the class). Prices and UPnL
// read and write as bigint and live in number slots with a bigint overflow (exact-slot.ts).
// Thread contract: the risk-shard thread.

import { bigSlot, numberSlot, slotValue } from './exact-slot.js';

/** Values published with every PositionUpdated, recomputed when the position's scope changes. */
export class PositionDerived {
  /** Number slots of the three prices and UPnL (NaN: the value is in the bigint slot). */
  liquidationPriceN = 0;
  bankruptcyPriceN = 0;
  unrealizedPnlN = 0;
  /** 1-based tier of the notional at mark; 0 when flat. */
  tier = 0;
  adlQuintile = 0;
  private liquidationPriceBig = 0n;
  private bankruptcyPriceBig = 0n;
  private unrealizedPnlBig = 0n;

  get liquidationPriceTicks(): bigint {
    return slotValue(this.liquidationPriceN, this.liquidationPriceBig);
  }
  set liquidationPriceTicks(v: bigint) {
    this.liquidationPriceN = numberSlot(v);
    this.liquidationPriceBig = bigSlot(v);
  }

  get bankruptcyPriceTicks(): bigint {
    return slotValue(this.bankruptcyPriceN, this.bankruptcyPriceBig);
  }
  set bankruptcyPriceTicks(v: bigint) {
    this.bankruptcyPriceN = numberSlot(v);
    this.bankruptcyPriceBig = bigSlot(v);
  }

  get unrealizedPnlAtoms(): bigint {
    return slotValue(this.unrealizedPnlN, this.unrealizedPnlBig);
  }
  set unrealizedPnlAtoms(v: bigint) {
    this.unrealizedPnlN = numberSlot(v);
    this.unrealizedPnlBig = bigSlot(v);
  }
}
