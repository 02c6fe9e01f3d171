// The demo's view model and its text: levels kept and removed from BookLevelChanged, open interest as the
// sum of longs through position changes, the insurance fund summed over risk shard partitions,
// liquidations and ADL counted, and every figure formatted from integers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { AdlExecutedLayout } from '../../../engine/ring/layouts/adl-executed.js';
import { BookLevelChangedLayout } from '../../../engine/ring/layouts/book-level-changed.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import type { Layout } from '../../../engine/ring/layouts/layout.js';
import { InsuranceFundChangedLayout } from '../../../engine/ring/layouts/insurance-fund-changed.js';
import { LiquidationProgressedLayout } from '../../../engine/ring/layouts/liquidation-progressed.js';
import { MarkPriceUpdatedLayout } from '../../../engine/ring/layouts/mark-price-updated.js';
import { PositionUpdatedLayout } from '../../../engine/ring/layouts/position-updated.js';
import { TradeExecutedLayout } from '../../../engine/ring/layouts/trade-executed.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { LiquidationStep } from '../../../risk/shard/events.js';
import { MarketView } from '../../../gateway/demo/market-view.js';
import { countdown, ratePercent, renderView, usdt } from '../../../gateway/demo/render-view.js';

const T = 1_700_000_000_000_000;
const BTC = 1;

function feed(view: MarketView, layout: Layout, header: { marketId?: number; accountId?: number }, body: Record<string, number | bigint>, shard = 0): void {
  const buf = RecordBuffer.allocate(1);
  encodeRecord(buf, 0, layout, { timeUs: T, ...header }, body);
  view.observe(buf, 0, { kind: 'risk', shard });
}

test('levels, spread, trades, mark, funding and open interest', () => {
  const v = new MarketView(DEFAULT_MARKETS);
  const level = (side: number, priceTicks: number, levelQtyLots: number, orderCount: number) => feed(v, BookLevelChangedLayout, { marketId: BTC }, { side, priceTicks, levelQtyLots, orderCount });
  level(Side.BUY, 600_000, 10, 2);
  level(Side.BUY, 599_990, 5, 1);
  level(Side.BUY, 600_005, 7, 1);
  level(Side.SELL, 600_020, 3, 1);
  level(Side.SELL, 600_010, 4, 2);
  level(Side.BUY, 600_005, 0, 0); // emptied
  const m = v.markets.get(BTC)!;
  assert.deepEqual(m.top('bids', 5).map((l) => l.priceTicks), [600_000, 599_990]);
  assert.deepEqual(m.top('asks', 5).map((l) => l.priceTicks), [600_010, 600_020]);
  feed(v, TradeExecutedLayout, { marketId: BTC }, { priceTicks: 600_010, qtyLots: 4, takerSide: Side.BUY });
  feed(v, MarkPriceUpdatedLayout, { marketId: BTC }, { markPriceTicks: 600_004, indexPriceTicks: 600_001, fundingRate: 10_000n, nextFundingTimeUs: T + 3_725_000_000 });
  const pos = (accountId: number, qtyLots: bigint) => feed(v, PositionUpdatedLayout, { marketId: BTC, accountId }, { qtyLots });
  pos(1, 5n);
  pos(2, -5n);
  pos(3, 2n);
  pos(1, 3n);
  pos(3, -1n);
  assert.equal(m.openInterestLots, 3n);
  const text = renderView(v, T).join('\n');
  assert.match(text, /BTC-PERP {2}mark 60000\.4 {2}index 60000\.1 {2}last 60001\.0 {2}funding 0\.0100% in 1:02:05 {2}OI 0\.003 BTC/);
  assert.match(text, /60000\.0 +0\.010 \(2\) +60001\.0 +0\.004 \(2\)/);
  // (60001.0 − 60000.0) / 60000.5 = 0.1666 bps, truncated to hundredths.
  assert.match(text, /spread 1\.0 \(0\.16 bps\)/);
  assert.match(text, /trades: \d\d:\d\d:\d\d buy {2}0\.004 @ 60001\.0/);
});

test('insurance fund over partitions, liquidations and ADL as they happen', () => {
  const v = new MarketView(DEFAULT_MARKETS);
  feed(v, InsuranceFundChangedLayout, {}, { balanceAtoms: 1_000_000_000n }, 0);
  feed(v, InsuranceFundChangedLayout, {}, { balanceAtoms: 250_500_000n }, 1);
  feed(v, InsuranceFundChangedLayout, {}, { balanceAtoms: 900_000_000n }, 0);
  assert.equal(v.insuranceFundAtoms, 1_150_500_000n);
  feed(v, LiquidationProgressedLayout, { accountId: 9 }, { step: LiquidationStep.TRIGGERED });
  feed(v, LiquidationProgressedLayout, { marketId: BTC, accountId: 9 }, { step: LiquidationStep.PARTIAL_FILL, qtyLots: -12n, priceTicks: 590_000 });
  feed(v, LiquidationProgressedLayout, { marketId: BTC, accountId: 9 }, { step: LiquidationStep.COMPLETED });
  feed(v, AdlExecutedLayout, { marketId: BTC, accountId: 4 }, { qtyLots: 3, priceTicks: 589_000, liquidatedAccountId: 9 });
  assert.equal(v.liquidations, 1);
  assert.equal(v.adl, 1);
  const text = renderView(v, T).join('\n');
  assert.match(text, /insurance fund 1,150\.50 USDT · liquidations 1 · ADL 1/);
  assert.match(text, /ADL +BTC-PERP account 4 0\.003 @ 58900\.0/);
  assert.match(text, /liquidation BTC-PERP account 9 0\.012 @ 59000\.0/);
  assert.match(text, /liquidation account 9 triggered/);
});

test('integer formatting: rates, money, countdowns', () => {
  assert.equal(ratePercent(10_000n), '0.0100%');
  assert.equal(ratePercent(-37_500n), '-0.0375%');
  assert.equal(ratePercent(0n), '0.0000%');
  assert.equal(usdt(1_234_567_891_234n), '1,234,567.89');
  assert.equal(usdt(-5_000_000n), '-5.00');
  assert.equal(countdown(T + 59_999_999, T), '00:59');
  assert.equal(countdown(T + 8 * 3_600_000_000, T), '8:00:00');
  assert.equal(countdown(T, T), 'now');
});
