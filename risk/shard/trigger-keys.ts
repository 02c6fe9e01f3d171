// The trigger keys of one open position (trigger-index.ts): the mark prices at which its scope must be
// evaluated again, from its liquidation price, margin-call price and tier edges, in bigint and on the
// number fast path (the same keys).
//
//   long   down key: max(LP, margin-call price unless called, lower tier edge); up key: min(upper tier
//          edge, one tick past the margin-call price when called: the way back that re-arms the call)
//   short  up key: min(LP, margin-call price unless called, upper tier edge), no LP = key 0 (liquidatable
//          at every price); down key: max(lower tier edge, one tick under the margin-call price when called)
// Pure.

import { floorDivExact } from '../exact-number.js';
import type { NumberTiers } from '../margin-number.js';
import type { TierTable } from '../tiers.js';
import { NO_KEY } from './trigger-index.js';

const MAX_KEY = BigInt(Number.MAX_SAFE_INTEGER);

/** The two keys setKeys takes (reused by its owner). */
export class TriggerKeys {
  downKey = NO_KEY;
  upKey = NO_KEY;
}

/** A bigint tick price as a heap key; a price past 2^53 is never reached by a mark (u53). */
export function priceKey(ticks: bigint): number {
  return ticks >= MAX_KEY ? Number.MAX_SAFE_INTEGER : ticks < 0n ? NO_KEY : Number(ticks);
}

function minKey(a: number, b: number): number {
  if (a === NO_KEY) return b;
  if (b === NO_KEY) return a;
  return a < b ? a : b;
}

/** The highest mark at which the notional falls to the tier's lower edge or below (tier 1: none). */
export function tierDownKey(tiers: TierTable, tierIndex: number, lotsAtoms: bigint): number {
  if (tierIndex === 0) return NO_KEY;
  const k = tiers[tierIndex]!.loNotionalAtoms / lotsAtoms;
  return k < 1n ? NO_KEY : priceKey(k);
}

/** The lowest mark at which the notional passes the tier's upper edge (top tier: none). */
export function tierUpKey(tiers: TierTable, tierIndex: number, lotsAtoms: bigint): number {
  if (tierIndex === tiers.length - 1) return NO_KEY;
  const k = tiers[tierIndex]!.hiNotionalAtoms / lotsAtoms + 1n;
  return k >= MAX_KEY ? NO_KEY : Number(k);
}

/** tierDownKey on numbers: lo and lotsAtoms exact and below 2^52 (NumberTiers.usable, the caller's guard). */
export function tierDownKeyNumber(t: NumberTiers, tierIndex: number, lotsAtoms: number): number {
  if (tierIndex === 0) return NO_KEY;
  const k = floorDivExact(t.loAtoms[tierIndex]!, lotsAtoms);
  return k < 1 ? NO_KEY : k;
}

/** tierUpKey on numbers (the keys stay below 2^52 + 1, far under MAX_KEY). */
export function tierUpKeyNumber(t: NumberTiers, tierIndex: number, lotsAtoms: number): number {
  if (tierIndex === t.count - 1) return NO_KEY;
  return floorDivExact(t.hiAtoms[tierIndex]!, lotsAtoms) + 1;
}

/**
 * The keys from the position's prices as heap keys (priceKey applied). lpKey for an undefined LP: NO_KEY
 * for a long, 0 for a short (liquidatable at every price: watched at any mark). mcKey: NO_KEY when
 * undefined, 0 for a short called at any price.
 */
export function combineKeys(long: boolean, lpKey: number, mcKey: number, called: boolean, lower: number, upper: number, out: TriggerKeys): TriggerKeys {
  if (long) {
    const recover = called && mcKey !== NO_KEY ? mcKey + 1 : NO_KEY;
    out.downKey = Math.max(lpKey, called ? NO_KEY : mcKey, lower);
    out.upKey = minKey(upper, recover);
  } else {
    const recover = called && mcKey > 0 ? mcKey - 1 : NO_KEY;
    out.downKey = Math.max(lower, recover);
    out.upKey = minKey(minKey(lpKey, called ? NO_KEY : mcKey), upper);
  }
  return out;
}
