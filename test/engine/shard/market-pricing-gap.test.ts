// Catching up over a gap between records (docs/COMMANDS.md, "Time"): MarketPricing.advance reads the book
// once and adds the gap's samples in closed form, whatever the gap. Checked against the loop it replaced
// (one iteration per sample interval of the gap, kept here as the reference) on seeded random gaps, and by
// counting book reads: a gap of a week costs what a gap of a second costs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Book, LevelView } from '../../../engine/book/types.js';
import { Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS, MarketSpec } from '../../../engine/market/spec.js';
import { defaultPricing, MarketPricing, type FundingDue, type PricingConfig } from '../../../engine/shard/market-pricing.js';
import { fundingRate8h, impactPriceTicks, PremiumAverage, premiumSampleRate } from '../../../risk/funding.js';
import { rng, testSeed } from '../../support/seed.js';

const S = 1_000_000;
const HOUR = 3_600 * S;
const BTC = new MarketSpec(DEFAULT_MARKETS[0]!);

/** A book that never changes (nothing happens inside a gap) and counts how often it is read. */
class StillBook {
  reads = 0;
  readonly spec = BTC;
  constructor(
    private readonly bids: LevelView[],
    private readonly asks: LevelView[],
  ) {}
  levels(side: Side, maxLevels: number): LevelView[] {
    this.reads++;
    return (side === Side.BUY ? this.bids : this.asks).slice(0, maxLevels);
  }
  bestBid(): number {
    return this.bids[0]?.priceTicks ?? 0;
  }
  bestAsk(): number {
    return this.asks[0]?.priceTicks ?? 0;
  }
  lastTradePrice(): number {
    return 0;
  }
}

function book(bidTicks: number, askTicks: number): StillBook {
  const side = (p: number, step: number): LevelView[] => Array.from({ length: 5 }, (_, i) => ({ priceTicks: p + i * step, qtyLots: 1_000, orderCount: 1 }));
  return new StillBook(side(bidTicks, -10), side(askTicks, 10));
}

/** The loop MarketPricing.advance ran before: one iteration per sample interval of the gap. */
class LoopReference {
  nowUs = 0;
  nextSampleUs = 0;
  nextFundingUs = 0;
  lastFundingRate = 0n;
  readonly premium = new PremiumAverage();

  constructor(
    private readonly c: PricingConfig,
    private readonly sampleRate: () => bigint | undefined,
    private readonly markTicks: bigint,
  ) {}

  advance(timeUs: number): FundingDue | undefined {
    if (timeUs <= this.nowUs) return undefined;
    const c = this.c;
    if (this.nowUs === 0) {
      this.nowUs = timeUs;
      this.nextSampleUs = (Math.floor(timeUs / c.sampleIntervalUs) + 1) * c.sampleIntervalUs;
      this.nextFundingUs = (Math.floor(timeUs / c.fundingIntervalUs) + 1) * c.fundingIntervalUs;
      return undefined;
    }
    this.nowUs = timeUs;
    let due: FundingDue | undefined;
    const maxSamples = Math.max(1, Math.floor(c.fundingIntervalUs / c.sampleIntervalUs));
    let taken = 0;
    while (this.nextSampleUs <= timeUs) {
      if (this.nextFundingUs <= this.nextSampleUs && due === undefined) due = this.settle();
      if (taken++ < maxSamples) {
        const p = this.sampleRate();
        if (p !== undefined) this.premium.add(p);
      }
      this.nextSampleUs += c.sampleIntervalUs;
    }
    if (due === undefined && this.nextFundingUs <= timeUs) due = this.settle();
    if (this.nextFundingUs <= timeUs) this.nextFundingUs = (Math.floor(timeUs / c.fundingIntervalUs) + 1) * c.fundingIntervalUs;
    return due;
  }

  private settle(): FundingDue {
    const c = this.c;
    const fundingTimeUs = this.nextFundingUs;
    this.nextFundingUs = fundingTimeUs + c.fundingIntervalUs;
    const premiumRate = this.premium.rate(c.weighting);
    const rate = (fundingRate8h(premiumRate, c.funding) * BigInt(c.fundingIntervalUs)) / BigInt(8 * HOUR);
    this.premium.reset();
    this.lastFundingRate = rate;
    return { rate, premiumRate, markTicks: this.markTicks, fundingTimeUs };
  }
}

function pair(config: PricingConfig, b: StillBook, indexTicks: bigint, startUs: number) {
  const pricing = new MarketPricing(b as unknown as Book, config);
  pricing.advance(startUs);
  const mark = pricing.onIndex(indexTicks, false, startUs).markTicks;
  const a = BTC.atomsPerTickLot;
  const depth = (side: Side) => b.levels(side, config.impactDepthLevels).map((l) => ({ priceTicks: BigInt(l.priceTicks), qtyLots: BigInt(l.qtyLots) }));
  const sample = () => premiumSampleRate(impactPriceTicks(depth(Side.BUY), config.impactNotionalAtoms, a), impactPriceTicks(depth(Side.SELL), config.impactNotionalAtoms, a), indexTicks);
  const reference = new LoopReference(config, sample, mark);
  reference.advance(startUs);
  return { pricing, reference };
}

function assertSame(pricing: MarketPricing, reference: LoopReference, label: string): void {
  assert.equal(pricing.nextSampleUs, reference.nextSampleUs, `${label}: next sample`);
  assert.equal(pricing.nextFundingUs, reference.nextFundingUs, `${label}: next funding`);
  assert.equal(pricing.lastFundingRate, reference.lastFundingRate, `${label}: last funding rate`);
  assert.deepEqual([pricing.premium.count, pricing.premium.sumRate, pricing.premium.linearSumRate], [reference.premium.count, reference.premium.sumRate, reference.premium.linearSumRate], `${label}: premium`);
}

test('a gap of any length gives the samples and the funding the one-sample-per-interval loop gave', () => {
  const seed = testSeed('pricing gap closed form');
  const next = rng(seed);
  for (const fundingIntervalUs of [60 * S, 8 * HOUR, 7 * S]) {
    const config = defaultPricing(undefined, { fundingIntervalUs });
    // Book above the index: every sample is a positive premium, so counts and weights show in the rate.
    const b = book(601_000 + (next() % 500), 601_600 + (next() % 500));
    const start = 1_700_000_000_000_000 + (next() % 10_000_000);
    const { pricing, reference } = pair(config, b, 590_000n, start);
    let t = start;
    for (let i = 0; i < 300; i++) {
      const kind = next() % 10;
      // Within a sample interval, across a few, across funding times, across many intervals, a week.
      const gap = kind < 3 ? next() % (5 * S) : kind < 6 ? next() % (60 * S) : kind < 8 ? next() % (9 * HOUR) : kind < 9 ? next() % (30 * HOUR) : next() % (7 * 24 * HOUR);
      t += gap;
      const label = `seed ${seed}, interval ${fundingIntervalUs}, step ${i}, gap ${gap}`;
      assert.deepEqual(pricing.advance(t), reference.advance(t), label);
      assertSame(pricing, reference, label);
    }
  }
});

test('catching up over a gap reads the book once, whatever the gap', () => {
  const config = defaultPricing();
  for (const gap of [6 * S, HOUR, 24 * HOUR, 7 * 24 * HOUR, 2 ** 45]) {
    const b = book(599_900, 600_100);
    const pricing = new MarketPricing(b as unknown as Book, config);
    const start = 1_700_000_000_000_000;
    pricing.advance(start);
    pricing.onIndex(600_000n, false, start);
    b.reads = 0;
    pricing.advance(start + gap);
    // One sample's impact prices: one read of each side. The loop read both sides once per sample taken.
    assert.equal(b.reads, 2, `gap ${gap} µs`);
    assert.ok(pricing.premium.count >= 1n, `gap ${gap} µs took its samples`);
  }
});

test('adding a sample n times in closed form equals adding it n times', () => {
  for (const [before, n, rate] of [[0, 1, 5n], [3, 4, -7n], [10, 5_760, 123_456n], [1, 0, 9n]] as const) {
    const loop = new PremiumAverage();
    const closed = new PremiumAverage();
    for (let i = 0; i < before; i++) {
      loop.add(BigInt(i) - 2n);
      closed.add(BigInt(i) - 2n);
    }
    for (let i = 0; i < n; i++) loop.add(rate);
    closed.addRepeated(rate, BigInt(n));
    assert.deepEqual([closed.count, closed.sumRate, closed.linearSumRate], [loop.count, loop.sumRate, loop.linearSumRate]);
  }
});
