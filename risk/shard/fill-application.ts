// What one fill does to the state of one party (trade-settlement.ts has the rules): position and entry
// cost (risk/position.ts), the trading fee to the fee pool, realized PnL to the wallet or to M_iso, and
// the isolated margin moved by the lots opened and closed. Two implementations with the same results:
//
//   applyFillNumbers  on the state's number slots (position-number.ts, exact-number.ts); computes every
//                     new value first and writes nothing when a guard refuses (it returns false)
//   applyFillBig      the bigint reference, through the state's bigint accessors
//
// Both leave the fee, the realized PnL and whether lots were opened in the FillOutcome they are given.
// Thread contract: the risk-shard thread.

import { ceilDiv } from '../../engine/market/decimal.js';
import { OrderOrigin, Side } from '../../engine/enums.js';
import { ceilDivExact, mulDivCeil, mulDivFloor } from '../exact-number.js';
import { marginTierNumber, productBelow51, RATE_ONE_NUMBER } from '../margin-number.js';
import { applyFill } from '../position.js';
import { applyFillNumber, FillNumbers } from '../position-number.js';
import { effectiveLeverage } from '../tiers.js';
import { mulRateDown, mulRateUp } from '../units.js';
import type { FeeTier } from './config.js';
import { addExact } from './exact-slot.js';
import { Liquidity } from './events.js';
import { MarginMode, type AccountState, type MarketRiskState, type PositionState, type RiskState } from './state.js';

const LIMIT_52 = 1n << 52n;

/** The figures of the applied fill that the rest of settlement publishes. */
export class FillOutcome {
  feeAtoms: number | bigint = 0;
  realizedPnlAtoms: number | bigint = 0;
  /** The fill opened lots (beyond what it closed). */
  opened = false;
  /** A reduce-only order's fill grew or flipped the position (invariant I9). */
  reduceOnlyBreach = false;
}

/** A fee schedule's rates as numbers (NaN for a rate the number path cannot take). */
export class NumberFees {
  readonly makerRate: number[];
  readonly takerRate: number[];

  constructor(tiers: readonly FeeTier[]) {
    const n = (v: bigint): number => (v > -LIMIT_52 && v < LIMIT_52 ? Number(v) : NaN);
    this.makerRate = tiers.map((t) => n(t.makerRate));
    this.takerRate = tiers.map((t) => n(t.takerRate));
  }
}

const scratch = new FillNumbers();

function grewOrFlipped(before: number, after: number): boolean {
  if (before === 0) return after !== 0;
  if (before > 0) return after > before || after < 0;
  return after < before || after > 0;
}

/**
 * The number path: false, with nothing written, when a guard refuses (a value past its proven range).
 * signedQtyLots > 0 buys.
 */
export function applyFillNumbers(
  state: RiskState,
  fees: NumberFees,
  market: MarketRiskState,
  account: AccountState,
  pos: PositionState,
  reduceOnly: boolean,
  signedQtyLots: number,
  priceTicks: number,
  liquidity: number,
  origin: number,
  out: FillOutcome,
): boolean {
  const a = market.atomsPerTickLotN;
  const fill = scratch;
  const before = pos.qtyN;
  if (!(market.markN >= 0 && pos.leverageN >= 1)) return false;
  if (!applyFillNumber(before, pos.entryCostN, signedQtyLots, priceTicks, a, fill)) return false;
  const lots = signedQtyLots > 0 ? signedQtyLots : -signedQtyLots;
  let fee = 0;
  if (origin === OrderOrigin.USER) {
    const notional = productBelow51(lots, priceTicks, a);
    const rate = (liquidity === Liquidity.TAKER ? fees.takerRate : fees.makerRate)[account.feeTier]!;
    fee = rate >= 0 ? mulDivCeil(notional, rate, RATE_ONE_NUMBER) : -mulDivFloor(notional, -rate, RATE_ONE_NUMBER);
    if (fee !== fee) return false;
  }
  const opened = lots - fill.closedLots;
  const isolated = pos.marginMode === MarginMode.ISOLATED;
  let wallet = 0;
  let margin = 0;
  if (isolated) {
    wallet = addExact(account.walletN, -fee);
    margin = pos.isolatedMarginN;
    if (fill.closedLots > 0) {
      let m = addExact(margin, fill.realizedPnlAtoms);
      const whole = fill.qtyLots === 0 || opened > 0;
      const openBefore = before < 0 ? -before : before;
      // While the scope is being liquidated its margin stays in the scope (trade-settlement.ts).
      const release = m <= 0 || pos.liquidationId !== 0 ? 0 : whole ? m : mulDivFloor(m, fill.closedLots, openBefore);
      m -= release;
      wallet = addExact(wallet, release);
      margin = m;
    }
    if (opened > 0) {
      const q = fill.qtyLots < 0 ? -fill.qtyLots : fill.qtyLots;
      const t = market.numberTiers;
      const n = productBelow51(q, market.markN > 0 ? market.markN : priceTicks, a);
      const max = t.maxLeverage[marginTierNumber(t, n)]!;
      const leverage = pos.leverageN < max ? pos.leverageN : max;
      // IM of the opened lots at mark (docs/RISK.md: IM = N/leverage, N at mark), plus what the fill already
      // lost against the mark: not the fill price, which a stale book can put far from the mark.
      const mark = market.markN > 0 ? market.markN : priceTicks;
      const adverse = fill.qtyLots > 0 ? priceTicks - mark : mark - priceTicks;
      const need = addExact(ceilDivExact(productBelow51(opened, mark, a), leverage), adverse > 0 ? productBelow51(opened, adverse, a) : 0);
      const available = wallet > 0 ? wallet : 0;
      const take = need < available ? need : available;
      wallet -= take;
      margin = addExact(margin, take);
      if (!(n === n && t.usable && leverage >= 1 && need === need)) return false;
    }
    if (wallet !== wallet || margin !== margin) return false;
  }
  pos.qtyN = fill.qtyLots;
  pos.entryCostN = fill.entryCostAtoms;
  pos.addRealizedPnl(fill.realizedPnlAtoms);
  out.reduceOnlyBreach = reduceOnly && grewOrFlipped(before, fill.qtyLots);
  state.addFeePool(fee);
  if (isolated) {
    account.walletN = wallet;
    pos.isolatedMarginN = margin;
  } else {
    account.addWallet(-fee);
    account.addWallet(fill.realizedPnlAtoms);
  }
  out.feeAtoms = fee;
  out.realizedPnlAtoms = fill.realizedPnlAtoms;
  out.opened = opened > 0;
  return true;
}

/** The bigint reference (the original settlement arithmetic). */
export function applyFillBig(
  state: RiskState,
  feeTiers: readonly FeeTier[],
  market: MarketRiskState,
  account: AccountState,
  pos: PositionState,
  reduceOnly: boolean,
  side: Side,
  qty: number,
  price: number,
  liquidity: number,
  origin: number,
  out: FillOutcome,
): void {
  const a = market.spec.atomsPerTickLot;
  const lots = BigInt(qty);
  const priceTicks = BigInt(price);
  const signed = side === Side.BUY ? lots : -lots;
  const before = pos.qtyLots;
  const fill = applyFill(pos, signed, priceTicks, a);
  pos.qtyLots = fill.qtyLots;
  pos.entryCostAtoms = fill.entryCostAtoms;
  pos.realizedPnlAtoms += fill.realizedPnlAtoms;
  out.reduceOnlyBreach = reduceOnly && grewOrFlippedBig(before, fill.qtyLots);
  const notional = lots * priceTicks * a;
  let fee = 0n;
  if (origin === OrderOrigin.USER) {
    const tier = feeTiers[account.feeTier]!;
    const rate = liquidity === Liquidity.TAKER ? tier.takerRate : tier.makerRate;
    fee = rate >= 0n ? mulRateUp(notional, rate) : -mulRateDown(notional, -rate);
  }
  account.walletAtoms -= fee;
  state.feePoolAtoms += fee;
  const opened = lots - fill.closedLots;
  if (pos.marginMode === MarginMode.ISOLATED) isolatedFill(account, pos, market, before, fill.closedLots, opened, fill.realizedPnlAtoms, priceTicks);
  else account.walletAtoms += fill.realizedPnlAtoms;
  out.feeAtoms = fee;
  out.realizedPnlAtoms = fill.realizedPnlAtoms;
  out.opened = opened > 0n;
}

function grewOrFlippedBig(before: bigint, after: bigint): boolean {
  if (before === 0n) return after !== 0n;
  if (before > 0n) return after > before || after < 0n;
  return after < before || after > 0n;
}

function isolatedFill(account: AccountState, pos: PositionState, market: MarketRiskState, before: bigint, closed: bigint, opened: bigint, realized: bigint, priceTicks: bigint): void {
  if (closed > 0n) {
    let m = pos.isolatedMarginAtoms + realized;
    const whole = pos.qtyLots === 0n || opened > 0n;
    const openBefore = before < 0n ? -before : before;
    // While the scope is being liquidated its margin stays in the scope: the engine settles surplus and
    // shortfall against it (docs/RISK.md steps 5-6), and publishScope releases what is left when it is done.
    const liquidating = pos.liquidationId !== 0;
    const release = m <= 0n || liquidating ? 0n : whole ? m : (m * closed) / openBefore;
    m -= release;
    account.walletAtoms += release;
    pos.isolatedMarginAtoms = m;
  }
  if (opened > 0n) {
    const a = market.spec.atomsPerTickLot;
    const q = pos.qtyLots < 0n ? -pos.qtyLots : pos.qtyLots;
    const mark = market.markPriceTicks > 0n ? market.markPriceTicks : priceTicks;
    const leverage = effectiveLeverage(market.config.tiers, q * mark * a, pos.leverage);
    // IM at mark plus the fill's loss against the mark (the number path says why).
    const adverse = pos.qtyLots > 0n ? priceTicks - mark : mark - priceTicks;
    const need = ceilDiv(opened * mark * a, leverage) + (adverse > 0n ? opened * adverse * a : 0n);
    const available = account.walletAtoms > 0n ? account.walletAtoms : 0n;
    const take = need < available ? need : available;
    account.walletAtoms -= take;
    pos.isolatedMarginAtoms += take;
  }
}
