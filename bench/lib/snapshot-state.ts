// Large shard states for the snapshot benchmark (bench/suites/snapshot.ts): a market shard holding N
// resting orders and a risk shard holding N accounts, built the way a busy exchange leaves them.
//
//   market  N PlaceOrder records through MarketShard.handle: 10,000 accounts (100 orders each, the
//           market's per-account limit is 200) on 20,000 price levels either side, 10% with a client id,
//           1% stop-limits waiting in the stop book
//   risk    N accounts built directly: 80% cross with a BTC-PERP position (a quarter of them also short
//           ETH-PERP), 20% isolated; one open order in four accounts; one applied deposit id each; every
//           scope evaluated by the shard's own evaluator (LP, BP, trigger keys, quintiles), then a mark
//           update per market (the heaps filled) and one more publication, which starts an ADL ranking
//           job over the whole BTC-PERP market: the job is under way when the snapshot is taken

import { OrderType, Side, TimeInForce, TriggerSource } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { MarketShard } from '../../engine/shard/market-shard.js';
import { DEFAULT_POOL, riskMarket } from '../../risk/shard/config.js';
import { UpdateReason } from '../../risk/shard/events.js';
import { LiquidationEngine } from '../../risk/shard/liquidation-engine.js';
import { RiskShard } from '../../risk/shard/risk-shard.js';
import { CROSS_SCOPE } from '../../risk/shard/seams.js';
import { AccountState, MarginMode, OpenOrderState } from '../../risk/shard/state.js';
import { DiscardOutput } from './discard-output.js';

const PO = PlaceOrderLayout.offsets;
const MID = 300_000;
const [BTC, ETH] = [DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!];
export const SNAPSHOT_BTC = BTC.marketId;

export function buildMarketShard(orders: number): MarketShard {
  const shard = new MarketShard([BTC], new DiscardOutput(), [new DiscardOutput()]);
  const buf = RecordBuffer.allocate(1);
  for (let i = 0; i < orders; i++) {
    buf.clear(0);
    buf.setSeq(0, i + 1);
    buf.setTimeUs(0, 1_700_000_000_000_000 + i);
    buf.setType(0, RecordType.PlaceOrder);
    buf.setMarketId(0, BTC.marketId);
    buf.setAccountId(0, 1 + Math.floor(i / 100));
    const side = i % 2;
    const away = 1 + ((i * 7_919) % 20_000);
    buf.setU53(0, PO.orderId, i + 1);
    buf.setU53(0, PO.clientOrderId, i % 10 === 3 ? i + 1 : 0);
    buf.setU53(0, PO.priceTicks, side === Side.BUY ? MID - away : MID + away);
    buf.setU53(0, PO.qtyLots, 1 + (i % 50));
    buf.setU8(0, PO.side, side);
    buf.setU8(0, PO.timeInForce, TimeInForce.GTC);
    if (i % 100 === 7) {
      // A stop-limit buy above the market (sell below): it waits in the stop book.
      buf.setU8(0, PO.orderType, OrderType.STOP_LIMIT);
      buf.setU8(0, PO.triggerSource, TriggerSource.LAST);
      buf.setU53(0, PO.triggerPriceTicks, side === Side.BUY ? MID + away : MID - away);
      buf.setU53(0, PO.priceTicks, MID);
    }
    shard.handle(buf, 0, 1);
  }
  shard.flush();
  const held = shard.book(BTC.marketId)!.orderCount();
  if (held !== orders) throw new Error(`snapshot bench: ${held} of ${orders} orders rest`);
  return shard;
}

export function buildRiskShard(accounts: number): RiskShard {
  const markets = [riskMarket(BTC), riskMarket(ETH)];
  const shard = new RiskShard(0, 1, markets, DEFAULT_POOL, (m) => (m === BTC.marketId ? 0 : 1), new DiscardOutput(), [new DiscardOutput(), new DiscardOutput()], (state, effects) => new LiquidationEngine(state, effects, DEFAULT_POOL));
  const s = shard.state;
  const p = shard.parts;
  const btc = s.markets.get(BTC.marketId)!;
  const eth = s.markets.get(ETH.marketId)!;
  btc.markPriceTicks = 600_000n;
  eth.markPriceTicks = 300_000n;
  const t = 1_700_000_000_000_000;
  for (let i = 0; i < accounts; i++) {
    const a = new AccountState(i + 1);
    a.walletAtoms = BigInt(1_000 + ((i * 7_919) % 49_000)) * 1_000_000n;
    a.appliedRequests.add(i + 1);
    s.accounts.set(a.id, a);
    const lots = BigInt(1 + (i % 97)) * (i % 2 === 0 ? 1n : -1n);
    const pos = p.positionOf(a, btc);
    pos.qtyLots = lots;
    pos.entryCostAtoms = (lots < 0n ? -lots : lots) * (600_000n + BigInt(((i * 104_729) % 60_001) - 30_000)) * btc.atomsPerTickLot;
    if (i % 5 === 4) {
      pos.marginMode = MarginMode.ISOLATED;
      pos.isolatedMarginAtoms = pos.entryCostAtoms / 10n + 1n;
      a.walletAtoms -= pos.isolatedMarginAtoms;
    } else if (i % 4 === 0) {
      const e = p.positionOf(a, eth);
      e.qtyLots = -lots * 10n;
      e.entryCostAtoms = (lots < 0n ? -lots : lots) * 10n * 300_000n * eth.atomsPerTickLot;
    }
    if (i % 4 === 1) {
      pos.orders.set(i + 1, new OpenOrderState(i + 1, 0, BTC.marketId, lots > 0n ? Side.SELL : Side.BUY, 610_000n, 3n, false, 0));
      p.reserve(a, pos);
    }
  }
  for (const a of s.accounts.values()) {
    p.evaluator.evaluate(a.id, CROSS_SCOPE, UpdateReason.MARK, t);
    if (a.positions.get(BTC.marketId)!.marginMode === MarginMode.ISOLATED) p.evaluator.evaluate(a.id, BTC.marketId, UpdateReason.MARK, t);
  }
  p.monitor.onMark(BTC.marketId, 600_000);
  p.monitor.onMark(ETH.marketId, 300_000);
  p.evaluator.evaluate(1, CROSS_SCOPE, UpdateReason.MARK, t + 2_000_000, BTC.marketId);
  return shard;
}
