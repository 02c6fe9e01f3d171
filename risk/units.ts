// The units of the risk layer and the small exact arithmetic it shares.
//
//   collateral   bigint atoms of the collateral asset (USDT: 1 atom = 10^-6 USDT). Balances, margins,
//                PnL, fees, funding and notional are all atoms. bigint because a sum over accounts, or a
//                notional times a rate, passes 2^53 long before any real balance does.
//   price        bigint ticks of the market (MarketSpec.tickSize), quantity bigint lots (lotSize). A
//                position's quantity is signed: long > 0, short < 0. The rings carry them as u53 numbers;
//                the risk layer takes them as bigint so every product below is exact without a range proof.
//   notional     |q|·priceTicks·atomsPerTickLot (MarketSpec.atomsPerTickLot): exact, a whole number of atoms.
//   rates        bigint in units of 10^-8 (RATE_ONE = 1): IMR, MMR, funding rates and samples, fee rates,
//                the liquidation fee rate, clamps and bands. 10^-8 resolves 0.000001% so the published
//                tables (1%, 0.01%, 0.05%) and the products of two of them stay exact.
//   time         microseconds as a number (the records' timeUs field, < 2^53); it never multiplies money.
//   rationals    {num, den} with den > 0, for quotients that must not be rounded yet (average entry
//                price, liquidation and bankruptcy prices, impact prices, ADL scores). Never reduced
//                (a gcd per call costs more than it saves at these sizes); compared by cross-multiplication.
//
// Every division states its direction: margins and fees up, payouts down (ARCHITECTURE.md, "Money").

import { ceilDiv, floorDiv } from '../engine/market/decimal.js';

export const RATE_ONE = 100_000_000n;
export const RATE_PERCENT = 1_000_000n;
export const RATE_BASIS_POINT = 10_000n;
/** 1 USDT in atoms (USDT_DECIMALS = 6 in engine/market/spec.ts). */
export const ATOMS_PER_USDT = 1_000_000n;

export interface Rational {
  readonly num: bigint;
  /** Always > 0. */
  readonly den: bigint;
}

/** One price level of a book side, as funding's impact price and the liquidation walk read it (best first). */
export interface BookLevel {
  readonly priceTicks: bigint;
  readonly qtyLots: bigint;
}

/** num/den with the sign moved to the numerator. den must not be 0 (callers guard it: no business case divides by 0). */
export function ratio(num: bigint, den: bigint): Rational {
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

export function wholeRational(value: bigint): Rational {
  return { num: value, den: 1n };
}

/** −1, 0 or 1 as a < b, a = b, a > b. Exact: a.num·b.den against b.num·a.den (both dens positive). */
export function compareRational(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function floorRational(r: Rational): bigint {
  return floorDiv(r.num, r.den);
}

export function ceilRational(r: Rational): bigint {
  return ceilDiv(r.num, r.den);
}

/** Rounds toward `target` (a whole number): down when r ≥ target, up when below. */
export function roundRationalToward(r: Rational, target: bigint): bigint {
  return r.num >= target * r.den ? floorDiv(r.num, r.den) : ceilDiv(r.num, r.den);
}

export function absBig(v: bigint): bigint {
  return v < 0n ? -v : v;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** |q|·price·atomsPerTickLot: exact, so no rounding direction applies. */
export function notionalAtoms(qtyLots: bigint, priceTicks: bigint, atomsPerTickLot: bigint): bigint {
  return absBig(qtyLots) * priceTicks * atomsPerTickLot;
}

/** amount·rate rounded up: what a margin or a fee charges. */
export function mulRateUp(amountAtoms: bigint, rate: bigint): bigint {
  return ceilDiv(amountAtoms * rate, RATE_ONE);
}

/** amount·rate rounded down: what a payout pays. */
export function mulRateDown(amountAtoms: bigint, rate: bigint): bigint {
  return floorDiv(amountAtoms * rate, RATE_ONE);
}
