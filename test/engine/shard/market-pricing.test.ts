import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { defaultPricing } from '../../../engine/shard/market-pricing.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { advanceTime, decodeAll, encodeStream, indexTick, place, type Cmd } from '../../support/commands.js';

const BTC = DEFAULT_MARKETS[0]!;
const T0 = 1_700_000_000_000_000; // a multiple of neither interval: schedules start at the next boundary
const S = 1_000_000;

function shard(fundingIntervalUs = 60 * S) {
  const gateway = new MemoryOutput();
  const risk = [new MemoryOutput(), new MemoryOutput()];
  const m = new MarketShard([BTC], gateway, risk, undefined, new Map([[1, defaultPricing(undefined, { fundingIntervalUs })]]));
  let seq = 1;
  const feed = (cmds: Cmd[]) => {
    const buf = encodeStream(cmds, seq);
    seq += cmds.length;
    for (let i = 0; i < cmds.length; i++) m.handle(buf, buf.at(i), 0);
  };
  return { m, gateway, risk, feed };
}

/** A two-sided book around 60,000.0: bids 59,990.0 and asks 60,010.0, 1 BTC each level, five levels. */
function quotes(): Cmd[] {
  const cmds: Cmd[] = [];
  for (let i = 0; i < 5; i++) {
    cmds.push(place({ orderId: 100 + i, accountId: 1, side: Side.BUY, priceTicks: 599_900 - i * 10, qtyLots: 1_000 }));
    cmds.push(place({ orderId: 200 + i, accountId: 2, side: Side.SELL, priceTicks: 600_100 + i * 10, qtyLots: 1_000 }));
  }
  return cmds;
}

test('an index tick publishes a mark to the gateway and to every risk shard', () => {
  const { gateway, risk, feed } = shard();
  feed([...quotes(), indexTick(600_000, T0)]);
  const marks = decodeAll(gateway).filter((r) => r.type === 'MarkPriceUpdated');
  assert.equal(marks.length, 1);
  // estimates: index·(1 + 0) = 600,000; index + basis MA (mid 600,000 − index) = 600,000; no last trade
  assert.equal(marks[0]!.markPriceTicks, 600_000);
  assert.equal(marks[0]!.indexPriceTicks, 600_000);
  assert.equal(marks[0]!.stale, 0);
  for (const r of risk) assert.equal(decodeAll(r).filter((e) => e.type === 'MarkPriceUpdated').length, 1);
});

test('the mark is clamped to the band around the index whatever the book says', () => {
  const { gateway, feed } = shard();
  // Book mid 60,000 but index 50,000: the basis estimate says 60,000, the index estimate 50,000; band 5%.
  feed([...quotes(), indexTick(500_000, T0)]);
  const mark = decodeAll(gateway).find((r) => r.type === 'MarkPriceUpdated')!;
  assert.equal(mark.markPriceTicks, 525_000);
});

test('a stale index freezes the mark and flags it', () => {
  const { m, gateway, feed } = shard();
  feed([...quotes(), indexTick(600_000, T0), indexTick(0, T0 + S, 1, true)]);
  const marks = decodeAll(gateway).filter((r) => r.type === 'MarkPriceUpdated');
  assert.deepEqual(marks.map((r) => [r.markPriceTicks, r.stale]), [[600_000, 0], [600_000, 1]]);
  assert.equal(m.book(1)!.markPrice(), 600_000);
});

test('an index price out of range is rejected and changes nothing', () => {
  const { m, gateway, feed } = shard();
  const before = m.pricingOf(1)!.stateParts();
  feed([indexTick(0, T0)]);
  assert.equal(decodeAll(gateway)[0]!.type, 'OrderRejected');
  assert.deepEqual(m.pricingOf(1)!.stateParts(), before);
});

test('funding is applied at each interval boundary with the rate from the samples taken in it', () => {
  const { gateway, risk, feed } = shard(60 * S);
  // Start at a minute boundary + 1 s; samples every 5 s; the first funding time is the next minute.
  const start = Math.floor(T0 / (60 * S)) * 60 * S + S;
  feed([...quotes(), indexTick(600_000, start)]);
  for (let t = start + S; t <= start + 60 * S; t += S) feed([advanceTime(t)]);
  const funding = decodeAll(gateway).filter((r) => r.type === 'FundingRateApplied');
  assert.equal(funding.length, 1);
  const f = funding[0]!;
  // Impact notional 10,000 USDT; impact bid 59,990 and ask 60,010 against index 60,000: both inside the
  // spread, so every premium sample is 0 and F_8h = 0 + clamp(0.01% − 0, ±0.05%) = 0.01% = 10,000 units;
  // for a 60 s interval F = 10,000 · 60 / 28,800 = 20 (truncated toward 0).
  assert.equal(f.premiumRate, 0n);
  assert.equal(f.fundingRate, 20n);
  assert.equal(f.intervalUs, 60 * S);
  assert.equal(f.fundingTimeUs, Math.floor(start / (60 * S)) * 60 * S + 60 * S);
  assert.equal(f.markPriceTicks, 600_000);
  for (const r of risk) assert.equal(decodeAll(r).filter((e) => e.type === 'FundingRateApplied').length, 1);
});

test('a book above the index gives a positive premium and longs pay more', () => {
  const { gateway, feed } = shard(60 * S);
  const start = Math.floor(T0 / (60 * S)) * 60 * S + S;
  // Index 59,000 while the book trades around 60,000: premium ≈ (59,990 − 59,000)/59,000 ≈ 1.68%.
  feed([...quotes(), indexTick(590_000, start)]);
  for (let t = start + S; t <= start + 60 * S; t += S) feed([advanceTime(t)]);
  const f = decodeAll(gateway).find((r) => r.type === 'FundingRateApplied')!;
  assert.ok((f.premiumRate as bigint) > 1_600_000n && (f.premiumRate as bigint) < 1_700_000n, String(f.premiumRate));
  // F_8h capped at 0.75·(2% − 1%) = 0.75%; scaled to 60 s: 750,000 · 60 / 28,800 = 1,562.
  assert.equal(f.fundingRate, 1_562n);
});

test('the same index and timer records give the same state hash', () => {
  const a = shard();
  const b = shard();
  const cmds = [...quotes(), indexTick(600_000, T0), advanceTime(T0 + 7 * S), indexTick(600_100, T0 + 8 * S), advanceTime(T0 + 70 * S)];
  a.feed(cmds);
  b.feed(cmds);
  assert.equal(a.m.stateHash(), b.m.stateHash());
  const c = shard();
  c.feed(cmds.slice(0, -1));
  assert.notEqual(c.m.stateHash(), a.m.stateHash());
});
