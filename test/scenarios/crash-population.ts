// Who holds positions when a crash scenario starts: leveraged longs and shorts across the tiers of the
// default table (tier 1 ≤ 50k USDT at up to 50x ... tier 4 ≤ 5M at 5x), cross and isolated, opened at the
// day's open price in one crossing auction (longs rest bids at the open, shorts sell into them; market
// maker 1 takes whatever the two sides leave unmatched). Sizes are notionals in USDT, turned into lots at
// the open by integer division; each account deposits the initial margin of its position at its leverage
// plus `cushionBps` of the notional (a thin cushion liquidates early, a thick one late or never).

export interface Holder {
  readonly name: string;
  readonly long: boolean;
  readonly notionalUsdt: bigint;
  readonly leverage: number;
  readonly isolated: boolean;
  /** Collateral beyond the initial margin, in basis points of the notional. */
  readonly cushionBps: bigint;
}

const h = (name: string, long: boolean, notionalUsdt: number, leverage: number, isolated: boolean, cushionBps: number): Holder => ({
  name,
  long,
  notionalUsdt: BigInt(notionalUsdt),
  leverage,
  isolated,
  cushionBps: BigInt(cushionBps),
});

/**
 * The population of both scenarios. Longs run from 50x tier-1 gamblers to a 2x whale that survives a −30%
 * day (not −41%); shorts are the crash's winners and so its ADL candidates (a 50x short dies in the
 * path's early rise).
 */
export const HOLDERS: readonly Holder[] = [
  h('long 50x isolated tier 1', true, 20_000, 50, true, 10),
  h('long 50x cross tier 1', true, 45_000, 50, false, 30),
  h('long 40x isolated tier 1', true, 30_000, 40, true, 20),
  h('long 25x isolated tier 2', true, 200_000, 25, true, 50),
  h('long 20x cross tier 2', true, 150_000, 20, false, 100),
  h('long 15x cross tier 2', true, 120_000, 15, false, 150),
  h('long 10x cross tier 3', true, 800_000, 10, false, 100),
  h('long 10x isolated tier 2', true, 60_000, 10, true, 0),
  h('long 5x isolated tier 4', true, 3_000_000, 5, true, 200),
  h('long 5x cross tier 3', true, 900_000, 5, false, 500),
  h('long 3x cross tier 3', true, 500_000, 3, false, 300),
  h('long 2x cross tier 3', true, 400_000, 2, false, 0),
  h('short 50x isolated tier 1', false, 25_000, 50, true, 10),
  h('short 20x cross tier 2', false, 200_000, 20, false, 200),
  h('short 10x cross tier 3', false, 600_000, 10, false, 500),
  h('short 10x isolated tier 2', false, 150_000, 10, true, 300),
  h('short 5x isolated tier 4', false, 1_500_000, 5, true, 500),
  h('short 3x cross tier 3', false, 700_000, 3, false, 1_000),
  h('short 2x cross tier 4', false, 1_200_000, 2, false, 2_000),
];
