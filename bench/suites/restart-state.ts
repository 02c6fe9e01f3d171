// restart-state: what a restarted gateway's state query costs (docs/ARCHITECTURE.md, "Read models after
// a restart"), on an in-process exchange holding N accounts (100,000; 20,000 with --quick), each funded
// and with one resting order on BTC-PERP, a tenth of them with a position.
//
//   risk shard copy     RiskShardStateBuilder, slices of SLICE accounts as the risk worker serves it
//                       (each slice a pause of the shard), against the peer in the same run: the scan
//                       snapshot's slice of the same accounts (ScanSnapshotBuilder), the pause the risk
//                       worker already takes for the what-if scan
//   market shard copy   MarketShardStateBuilder, slices of STATE_ITEMS_PER_TURN levels or order slots as
//                       the market worker serves it, against the peer in the same run: the whole book in
//                       one turn (its levels and orders as objects, how the worker copied a market before); and
//                       the reply's cost on the shard (postMessage: its columns transferred, against the
//                       structured clone of the same copy as objects, how it was sent before)
//   gateway load        loadViews + hub.restore + RestartGate of the copies (the main thread, before serving)
// Times are CPU time (process.cpuUsage), the machine being shared. Options after `--`: --accounts <n>.

import { OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import { HeaderFlag } from '../../engine/ring/record.js';
import { MarketShardStateBuilder, STATE_ITEMS_PER_TURN, transferables } from '../../engine/shard/market-shard-state.js';
import { levelsOf, ordersOf } from '../../engine/book/book-columns.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { MarketDataHub } from '../../gateway/market-data/hub.js';
import { AccountViews } from '../../gateway/views/account-views.js';
import { loadViews, RestartGate } from '../../gateway/views/restart-state.js';
import { riskMarket } from '../../risk/shard/config.js';
import { RiskShardStateBuilder } from '../../risk/shard/risk-shard-state.js';
import { ScanSnapshotBuilder } from '../../risk/stress/scan-snapshot.js';
import { intOption, fromSamples, median, type CaseResult, type Suite } from '../harness.js';

const SUITE = 'restart-state';
/** Accounts per slice: the risk worker's SNAPSHOT_ACCOUNTS_PER_TURN. */
const SLICE = 2_048;
const BTC = DEFAULT_MARKETS[0]!;
const MID = 600_000;
const T0 = 1_700_000_000_000_000;

/** CPU time of fn in ms (process.cpuUsage: a loaded machine stretches wall time, far less CPU time). */
function timeMs(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e3;
}

function build(accounts: number): InProcessExchange {
  const ex = new InProcessExchange({ topology: new Topology({ marketShards: [[BTC]], riskShards: 1 }), riskMarkets: [riskMarket(BTC)] });
  ex.send(UpdateIndexPriceLayout, { marketId: BTC.marketId, timeUs: T0 }, { indexPriceTicks: MID, sourcesUsed: 3, stale: 0 });
  let orderId = 1;
  const place = (accountId: number, side: Side, priceTicks: number, tif: number) =>
    ex.submit(PlaceOrderLayout, { accountId, marketId: BTC.marketId, timeUs: T0 + 1 }, { orderId: orderId++, clientOrderId: 0, side, orderType: OrderType.LIMIT, timeInForce: tif, priceTicks, qtyLots: 1 });
  for (let a = 1; a <= accounts; a++) {
    ex.submit(DepositLayout, { accountId: a, flags: HeaderFlag.OPERATOR, timeUs: T0 + 1 }, { requestId: a, amountAtoms: 10_000_000_000n, assetId: 0 });
    place(a, a % 2 === 0 ? Side.BUY : Side.SELL, a % 2 === 0 ? MID - 1 - (a % 500) : MID + 1 + (a % 500), TimeInForce.GTC);
    if (a % 1_000 === 0) ex.pump();
  }
  ex.pump();
  // A tenth take a position: an IOC order crossing the best opposite level.
  for (let a = 1; a <= accounts; a += 10) {
    place(a, a % 2 === 0 ? Side.SELL : Side.BUY, a % 2 === 0 ? MID - 500 : MID + 500, TimeInForce.IOC);
    if (a % 1_000 === 1) ex.pump();
  }
  ex.pump();
  return ex;
}

function sliced(first: () => void, step: () => boolean): number[] {
  const ms = [timeMs(first)];
  for (let done = false; !done; ) ms.push(timeMs(() => (done = step())));
  return ms;
}

const caseOf = (name: string, ms: number[], opsPerCall: number, extra: Record<string, string | number | boolean> = {}): CaseResult =>
  fromSamples(SUITE, name, ms, opsPerCall, { maxMs: Math.round(Math.max(...ms) * 100) / 100, ...extra });

const suite: Suite = {
  description: 'a restarted gateway\'s state query: risk copy slices vs the scan snapshot\'s, a market\'s copy, the gateway load',
  async run(ctx) {
    const accounts = intOption(ctx.args, '--accounts', ctx.quick ? 20_000 : 100_000);
    const rounds = ctx.quick ? 1 : 3;
    const ex = build(accounts);
    const risk = ex.riskShards[0]!;
    const market = ex.marketShards[0]!;
    const riskSlices: number[] = [];
    const scanSlices: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let b: RiskShardStateBuilder | undefined;
      riskSlices.push(...sliced(() => (b = new RiskShardStateBuilder(risk.parts, () => 0)), () => b!.step(SLICE)));
      b!.finish(0, 0);
      let s: ScanSnapshotBuilder | undefined;
      scanSlices.push(...sliced(() => (s = new ScanSnapshotBuilder(risk.state)), () => s!.step(SLICE)));
      s!.finish();
    }
    const bookSlices: number[] = [];
    const wholeMs: number[] = [];
    const cloneMs: number[] = [];
    const objectCloneMs: number[] = [];
    for (let r = 0; r < rounds + 2; r++) {
      let m: MarketShardStateBuilder | undefined;
      bookSlices.push(...sliced(() => (m = new MarketShardStateBuilder(market, 0, () => 0)), () => m!.step()));
      const copy = m!.finish(0);
      cloneMs.push(timeMs(() => structuredClone(copy, { transfer: transferables(copy) })));
      const objects = copy.markets.map((b) => ({ ...b, bids: levelsOf(b.bids), asks: levelsOf(b.asks), orders: ordersOf(b.orders) }));
      objectCloneMs.push(timeMs(() => structuredClone(objects)));
      const book = market.book(BTC.marketId)!;
      wholeMs.push(timeMs(() => [book.levels(Side.BUY, Number.MAX_SAFE_INTEGER), book.levels(Side.SELL, Number.MAX_SAFE_INTEGER), book.orders()]));
    }
    const states = ex.shardStates();
    const orders = states.market[0]!.markets[0]!.orders.count;
    const loadMs: number[] = [];
    for (let r = 0; r < rounds + 2; r++) {
      loadMs.push(
        timeMs(() => {
          loadViews(new AccountViews(), states);
          new MarketDataHub([{ marketId: BTC.marketId, symbol: BTC.symbol }], false).restore(states);
          new RestartGate(states);
        }),
      );
    }
    const ratio = Math.round((median(riskSlices) / median(scanSlices)) * 100) / 100;
    return [
      caseOf(`risk copy slice of ${SLICE} accounts (per loop turn)`, riskSlices, SLICE, { accounts, records: states.risk[0]!.count, vsScanSlice: ratio }),
      caseOf(`scan snapshot slice of ${SLICE} accounts (peer)`, scanSlices, SLICE, { accounts }),
      caseOf(`market copy slice of ${STATE_ITEMS_PER_TURN} levels or slots (per loop turn)`, bookSlices, STATE_ITEMS_PER_TURN, { orders, maxVsWhole: Math.round((Math.max(...bookSlices) / median(wholeMs)) * 1000) / 1000 }),
      caseOf('market copy of the whole book in one turn (peer: before slicing)', wholeMs, orders, { orders }),
      caseOf('market copy reply: columns, transferred (on the shard)', cloneMs, orders, { orders, vsObjects: Math.round((median(cloneMs) / median(objectCloneMs)) * 1000) / 1000 }),
      caseOf('market copy reply: objects, cloned (peer: before columns)', objectCloneMs, orders, { orders }),
      caseOf('gateway load of the copies (before serving)', loadMs, accounts, { accounts, orders }),
    ];
  },
};

export default suite;
