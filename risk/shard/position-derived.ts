// The figures published with every PositionUpdated (state.ts re-exports the class). Prices and UPnL
// read and write as bigint and live in number slots with a bigint overflow (exact-slot.ts).
// Thread contract: the risk-shard thread.

import { fitsNumber } from './exact-slot.js';

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
    return this.liquidationPriceN === this.liquidationPriceN ? BigInt(this.liquidationPriceN) : this.liquidationPriceBig;
  }
  set liquidationPriceTicks(v: bigint) {
    if (fitsNumber(v)) this.liquidationPriceN = Number(v);
    else {
      this.liquidationPriceN = NaN;
      this.liquidationPriceBig = v;
    }
  }

  get bankruptcyPriceTicks(): bigint {
    return this.bankruptcyPriceN === this.bankruptcyPriceN ? BigInt(this.bankruptcyPriceN) : this.bankruptcyPriceBig;
  }
  set bankruptcyPriceTicks(v: bigint) {
    if (fitsNumber(v)) this.bankruptcyPriceN = Number(v);
    else {
      this.bankruptcyPriceN = NaN;
      this.bankruptcyPriceBig = v;
    }
  }

  get unrealizedPnlAtoms(): bigint {
    return this.unrealizedPnlN === this.unrealizedPnlN ? BigInt(this.unrealizedPnlN) : this.unrealizedPnlBig;
  }
  set unrealizedPnlAtoms(v: bigint) {
    if (fitsNumber(v)) this.unrealizedPnlN = Number(v);
    else {
      this.unrealizedPnlN = NaN;
      this.unrealizedPnlBig = v;
    }
  }
}
