// A/B helper: CPU time per operation of one build's risk path, for comparing two builds side by side on a
// loaded machine (process.cpuUsage counts only this process's CPU, so other load mostly drops out).
//
//   node bench/ab-cpu.mjs settle <dist> [runs] [trades]     the risk-settlement suite's shard case:
//        10,000 funded accounts, TradeExecuted between random pairs (both parties here); µs per fill
//   node bench/ab-cpu.mjs pipeline <dist> [runs] [commands] the pipeline suite's in-process case (demo
//        flow, InProcessExchange, pumped every 64 commands); µs per command
//
// <dist> is a build's output directory (e.g. dist, or /tmp/ab-x/dist for a worktree of another commit).
// Prints the median and every run (the first, warm-up, run is left out), and the risk shard's state hash
// and a hash of every record written (settle: gateway stream; pipeline: every gateway-bound record), so two
// builds that must behave the same can be seen to.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

const [mode, distArg, runsArg, nArg] = process.argv.slice(2);
if ((mode !== 'settle' && mode !== 'pipeline') || distArg === undefined) {
  console.error('usage: node bench/ab-cpu.mjs settle|pipeline <dist> [runs] [operations]');
  process.exit(2);
}
const dist = resolve(distArg);
const runs = Number(runsArg ?? 5);
const n = Number(nArg ?? (mode === 'settle' ? 200_000 : 300_000));
const im = (p) => import(`${dist}/${p}`);
const { DEFAULT_MARKETS } = await im('engine/market/spec.js');
const { encodeRecord } = await im('engine/ring/layouts/index.js');
const { DepositLayout } = await im('engine/ring/layouts/deposit.js');
const { HeaderFlag, RecordBuffer } = await im('engine/ring/record.js');
const { riskMarket } = await im('risk/shard/config.js');

let recordHash = 0;
function hashRecord(buf, at) {
  const w = buf.i32;
  for (let k = at >> 2, end = k + 32; k < end; k++) recordHash = Math.imul(recordHash ^ w[k], 16_777_619) >>> 0;
}

async function settleCase() {
  const { MarkPriceUpdatedLayout } = await im('engine/ring/layouts/mark-price-updated.js');
  const { TradeExecutedLayout } = await im('engine/ring/layouts/trade-executed.js');
  const { DEFAULT_POOL } = await im('risk/shard/config.js');
  const { RiskShard } = await im('risk/shard/risk-shard.js');
  const ACCOUNTS = 10_000;
  const MARK = 600_000;
  const marketId = DEFAULT_MARKETS[0].marketId;
  let s = 1;
  const next = () => ((s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0), s >>> 1);
  const recs = RecordBuffer.allocate(n);
  for (let i = 0; i < n; i++) {
    const taker = 1 + (next() % ACCOUNTS);
    const maker = 1 + ((taker + (next() % (ACCOUNTS - 1))) % ACCOUNTS);
    const side = next() % 2;
    const price = MARK - 1_000 + (next() % 2_001);
    const qty = 1 + (next() % 50);
    encodeRecord(recs, recs.at(i), TradeExecutedLayout, { seq: i + 2, timeUs: 1, marketId, accountId: taker }, { takerOrderId: 2 * i + 1, makerOrderId: 2 * i + 2, tradeId: i + 1, priceTicks: price, qtyLots: qty, makerAccountId: maker, takerSide: side });
  }
  const gateway = { nextSeq: 1, append: (b, at) => (gateway.nextSeq++, hashRecord(b, at)), flush() {} };
  const market = { nextSeq: 1, append: () => market.nextSeq++, flush() {} };
  const hooks = { check() {}, onFill() {}, onOrderEnded() {}, onMarkUpdated() {}, afterRecord() {}, onBankruptFlatScope() {}, isFrozen: () => false, hashState() {}, writeState() {}, readState() {} };
  return () => {
    gateway.nextSeq = market.nextSeq = 1;
    const shard = new RiskShard(0, 1, [riskMarket(DEFAULT_MARKETS[0])], DEFAULT_POOL, () => 0, gateway, [market], () => hooks);
    const b = RecordBuffer.allocate(1);
    for (let a = 1; a <= ACCOUNTS; a++) {
      encodeRecord(b, 0, DepositLayout, { seq: a, timeUs: 1, accountId: a, flags: HeaderFlag.OPERATOR }, { requestId: a, amountAtoms: 1_000_000_000_000n, assetId: 0 });
      shard.handle(b, 0, 0);
    }
    encodeRecord(b, 0, MarkPriceUpdatedLayout, { seq: 1, timeUs: 1, marketId }, { markPriceTicks: MARK, indexPriceTicks: MARK });
    shard.handle(b, 0, 1);
    recordHash = 0;
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) shard.handle(recs, recs.at(i), 1);
    const c = process.cpuUsage(c0);
    return { us: (c.user + c.system) / (2 * n), stateHash: shard.stateHash() };
  };
}

async function pipelineCase() {
  const { InProcessExchange } = await im('exchange/in-process-exchange.js');
  const { Topology } = await im('exchange/topology.js');
  const { SetFeeTierLayout } = await im('engine/ring/layouts/set-fee-tier.js');
  const { ATOMS_PER_USDT } = await im('risk/units.js');
  const { demoFlow } = await im('bench/lib/demo-flow.js');
  const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
  return () => {
    const x = new InProcessExchange({ topology: Topology.spread(DEFAULT_MARKETS, availableParallelism(), 1), riskMarkets });
    recordHash = 0;
    x.onGateway((b, at) => hashRecord(b, at));
    const f = demoFlow(1);
    let request = 1;
    for (const id of f.makerIds) {
      x.send(DepositLayout, { accountId: id, timeUs: 1, flags: HeaderFlag.OPERATOR }, { requestId: request++, amountAtoms: 10_000_000n * ATOMS_PER_USDT, assetId: 0 });
      x.send(SetFeeTierLayout, { accountId: id, timeUs: 1, flags: HeaderFlag.OPERATOR }, { feeTier: 3 });
    }
    for (const id of f.takerIds) x.send(DepositLayout, { accountId: id, timeUs: 1, flags: HeaderFlag.OPERATOR }, { requestId: request++, amountAtoms: 100_000n * ATOMS_PER_USDT, assetId: 0 });
    const buf = RecordBuffer.allocate(1);
    for (const m of f.o.markets) {
      f.indexTick(m.market.marketId, buf, 0);
      buf.setTimeUs(0, 1);
      x.submitRecord(buf, 0);
    }
    x.pump();
    let time = 1;
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      f.next(buf, 0);
      buf.setTimeUs(0, ++time);
      x.submitRecord(buf, 0);
      if (i % 64 === 63) x.pump();
    }
    x.pump();
    const c = process.cpuUsage(c0);
    return { us: (c.user + c.system) / n, stateHash: x.riskShards[0].stateHash() };
  };
}

const once = mode === 'settle' ? await settleCase() : await pipelineCase();
const us = [];
let last;
for (let r = 0; r <= runs; r++) {
  last = once();
  if (r > 0) us.push(Math.round(last.us * 1000) / 1000);
}
const sorted = [...us].sort((a, b) => a - b);
const median = sorted[sorted.length >> 1];
const unit = mode === 'settle' ? 'cpuUsPerFill' : 'cpuUsPerCommand';
console.log(JSON.stringify({ mode, dist, [unit]: median, perCpuSecond: Math.round(1e6 / median), runs: us, stateHash: String(last.stateHash), recordHash: last.recordHash ?? recordHash }));
