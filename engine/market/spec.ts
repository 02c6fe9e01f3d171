// MarketSpec: the fixed-point model of one perpetual market. Prices are integer ticks, quantities integer
// lots, each below 2^53 so it is exact in a JavaScript number and in a record's u53 field (raw venue
// books such as Bitfinex's quote 8-decimal prices, 10^12 ticks and more, so 32 bits would not do).
// maxQtyLots · maxOrders must stay below 2^53 too, so no level or side total can lose exactness.
// Notional in collateral atoms is priceTicks · qtyLots · atomsPerTickLot, computed in bigint; it must be
// a whole number: a market whose tick·lot is finer than one collateral atom is refused at configuration.

import { Code } from '../codes.js';
import { decimalToUnits, positiveDecimal, Rounding, unitsToDecimal, type Converted, type Decimal } from './decimal.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const BAND_FAST_LIMIT = 2 ** 39;
/** Collateral atoms per whole unit of the settlement asset: USDT has 6 decimals, so 1 atom = 10^-6 USDT. */
export const USDT_DECIMALS = 6;

export interface MarketConfig {
  /** u16, unique across the exchange. */
  readonly marketId: number;
  readonly symbol: string;
  readonly baseAsset: string;
  /** Settlement (collateral) asset. */
  readonly quoteAsset: string;
  /** Decimal quote units per tick, e.g. '0.1'. */
  readonly tickSize: string;
  /** Decimal base units per lot, e.g. '0.001'. */
  readonly lotSize: string;
  readonly minQtyLots: number;
  readonly maxQtyLots: number;
  readonly maxPriceTicks: number;
  /** Limit prices must lie within ±band of the reference price (mark, else last trade). 0: no band. */
  readonly priceBandBps: number;
  /** Worst price of a market order sent without a limit, as a distance from the best opposite price. */
  readonly marketSlippageBps: number;
  /** Open orders (resting and untriggered stops) per account in this market. */
  readonly maxOpenOrdersPerAccount: number;
  /** Most open orders the book holds (its pool grows by doubling up to this); beyond it BOOK_FULL. */
  readonly maxOrders: number;
  /** Decimals of the collateral asset (atoms per unit = 10^decimals). */
  readonly collateralDecimals: number;
}

export class MarketSpec implements MarketConfig {
  readonly marketId: number;
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQtyLots: number;
  readonly maxQtyLots: number;
  readonly maxPriceTicks: number;
  readonly priceBandBps: number;
  readonly marketSlippageBps: number;
  readonly maxOpenOrdersPerAccount: number;
  readonly maxOrders: number;
  readonly collateralDecimals: number;
  /** Collateral atoms in one tick·lot of notional. */
  readonly atomsPerTickLot: bigint;
  readonly tick: Decimal;
  readonly lot: Decimal;

  constructor(c: MarketConfig) {
    const int = (v: number, lo: number, hi: number, what: string): number => {
      if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${c.symbol}: ${what} must be an integer in [${lo}, ${hi}], got ${v}`);
      return v;
    };
    this.marketId = int(c.marketId, 0, 0xffff, 'marketId');
    if (!/^[A-Z0-9][A-Z0-9._-]{0,31}$/.test(c.symbol)) throw new RangeError(`bad market symbol ${JSON.stringify(c.symbol)}`);
    this.symbol = c.symbol;
    this.baseAsset = c.baseAsset;
    this.quoteAsset = c.quoteAsset;
    this.tick = positiveDecimal(c.tickSize, `${c.symbol} tickSize`);
    this.lot = positiveDecimal(c.lotSize, `${c.symbol} lotSize`);
    this.tickSize = c.tickSize;
    this.lotSize = c.lotSize;
    this.maxQtyLots = int(c.maxQtyLots, 1, MAX_SAFE, 'maxQtyLots');
    this.minQtyLots = int(c.minQtyLots, 1, this.maxQtyLots, 'minQtyLots');
    this.maxPriceTicks = int(c.maxPriceTicks, 1, MAX_SAFE, 'maxPriceTicks');
    this.priceBandBps = int(c.priceBandBps, 0, 10_000, 'priceBandBps');
    this.marketSlippageBps = int(c.marketSlippageBps, 1, 10_000, 'marketSlippageBps');
    this.maxOpenOrdersPerAccount = int(c.maxOpenOrdersPerAccount, 1, 1_000_000, 'maxOpenOrdersPerAccount');
    this.maxOrders = int(c.maxOrders, 1, 1 << 26, 'maxOrders');
    this.collateralDecimals = int(c.collateralDecimals, 0, 18, 'collateralDecimals');
    if (BigInt(this.maxQtyLots) * BigInt(this.maxOrders) > BigInt(MAX_SAFE)) {
      throw new RangeError(`${c.symbol}: maxQtyLots · maxOrders must stay below 2^53 so level totals stay exact`);
    }
    // atoms per tick·lot = tick · lot · 10^decimals, required whole.
    const num = this.tick.mantissa * this.lot.mantissa * 10n ** BigInt(this.collateralDecimals);
    const den = 10n ** BigInt(this.tick.scale + this.lot.scale);
    if (num % den !== 0n) throw new RangeError(`${c.symbol}: tick·lot is finer than one collateral atom`);
    this.atomsPerTickLot = num / den;
    Object.freeze(this);
  }

  /** Price text → ticks. EXACT rejects prices off the tick grid (PRICE_NOT_ON_TICK). */
  priceToTicks(text: string, rounding: Rounding = Rounding.EXACT): Converted {
    const r = decimalToUnits(text, this.tick, rounding, Code.PRICE_NOT_ON_TICK);
    if (r.ok && (r.units < 1n || r.units > BigInt(this.maxPriceTicks))) return { ok: false, code: Code.PRICE_OUT_OF_RANGE };
    return r;
  }

  /** Quantity text → lots. EXACT rejects quantities off the lot grid (QTY_NOT_ON_LOT). */
  qtyToLots(text: string, rounding: Rounding = Rounding.EXACT): Converted {
    const r = decimalToUnits(text, this.lot, rounding, Code.QTY_NOT_ON_LOT);
    if (!r.ok) return r;
    if (r.units < BigInt(this.minQtyLots)) return { ok: false, code: Code.QTY_BELOW_MIN };
    if (r.units > BigInt(this.maxQtyLots)) return { ok: false, code: Code.QTY_ABOVE_MAX };
    return r;
  }

  ticksToPrice(ticks: number | bigint): string {
    return unitsToDecimal(ticks, this.tick);
  }

  lotsToQty(lots: number | bigint): string {
    return unitsToDecimal(lots, this.lot);
  }

  /** Notional of qty at price, in collateral atoms (exact). */
  notionalAtoms(priceTicks: number | bigint, qtyLots: number | bigint): bigint {
    return BigInt(priceTicks) * BigInt(qtyLots) * this.atomsPerTickLot;
  }

  /** Band check in integers: |price − ref| · 10^4 ≤ ref · bandBps. A ref of 0 (none yet) admits all. */
  withinBand(priceTicks: number, referenceTicks: number): boolean {
    if (this.priceBandBps === 0 || referenceTicks <= 0) return true;
    const d = priceTicks > referenceTicks ? priceTicks - referenceTicks : referenceTicks - priceTicks;
    // Below 2^39 both products stay under 2^53 (bps ≤ 10^4 < 2^14): exact in a double. Above, bigint.
    if (priceTicks < BAND_FAST_LIMIT && referenceTicks < BAND_FAST_LIMIT) return d * 10_000 <= referenceTicks * this.priceBandBps;
    return BigInt(d) * 10_000n <= BigInt(referenceTicks) * BigInt(this.priceBandBps);
  }
}

/** The default market set: what `npm start` runs and what benchmarks and scenario tests build on. */
export const DEFAULT_MARKETS: readonly MarketConfig[] = [
  {
    marketId: 1,
    symbol: 'BTC-PERP',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    tickSize: '0.1',
    lotSize: '0.001',
    minQtyLots: 1,
    maxQtyLots: 1_000_000,
    maxPriceTicks: 100_000_000,
    priceBandBps: 1_000,
    marketSlippageBps: 500,
    maxOpenOrdersPerAccount: 200,
    maxOrders: 1 << 22,
    collateralDecimals: USDT_DECIMALS,
  },
  {
    marketId: 2,
    symbol: 'ETH-PERP',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    tickSize: '0.01',
    lotSize: '0.01',
    minQtyLots: 1,
    maxQtyLots: 1_000_000,
    maxPriceTicks: 100_000_000,
    priceBandBps: 1_000,
    marketSlippageBps: 500,
    maxOpenOrdersPerAccount: 200,
    maxOrders: 1 << 22,
    collateralDecimals: USDT_DECIMALS,
  },
];
