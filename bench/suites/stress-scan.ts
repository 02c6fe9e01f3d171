// stress-scan: the what-if shock scan (risk/stress/) of 1,000,000 open positions (100,000 with --quick)
// under five market-wide shocks, on the calling thread and on the piscina pool, in the same process run.
//
//   build (untimed): a RiskState with N accounts, 80% cross (one BTC-PERP position, a quarter of them also
//   holding ETH-PERP) and 20% isolated, entries spread ±10% around the marks, wallets 100..50,000 USDT
//        ├─▶ snapshot               buildScanSnapshot in one go, and the risk worker's way: slices of
//        │                          SLICE accounts, one per loop turn (each slice a pause of the shard)
//        ├─▶ scan, one thread       scanInThread (the reference)
//        └─▶ scan, piscina pool     ShockScanner with 1 and 2 threads (chunks of 50,000 scopes); each
//                                   result checked equal to the reference
// Reported: scopes scanned per second, milliseconds per scan (p50, p99 over the runs), and the pool's
// speed-up over the calling thread (on this 2-core machine at most about 2). Options after `--`:
// --positions <n>.

import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { DEFAULT_POOL, riskMarket } from '../../risk/shard/config.js';
import { AccountState, MarginMode, MarketRiskState, PositionState, RiskState } from '../../risk/shard/state.js';
import { MarketSpec } from '../../engine/market/spec.js';
import { buildScanSnapshot, ScanSnapshotBuilder, type ScanSnapshot } from '../../risk/stress/scan-snapshot.js';
import { uniformShocks } from '../../risk/stress/shock-scan.js';
import { scanInThread, ShockScanner, type ShockReport } from '../../risk/stress/shock-scanner.js';
import { intOption, fromSamples, median, percentile, type CaseResult, type Suite } from '../harness.js';
import { isDeepStrictEqual } from 'node:util';

const SUITE = 'stress-scan';
const SHOCKS_BPS = [-5_000, -2_500, -1_000, 1_000, 2_500];
/** Accounts per slice: the risk worker's SNAPSHOT_ACCOUNTS_PER_TURN. */
const SLICE = 2_048;

function buildPopulation(positions: number): RiskState {
  const state = new RiskState(0, 1, DEFAULT_POOL);
  const [btc, eth] = [DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!];
  const btcMarket = new MarketRiskState(new MarketSpec(btc), riskMarket(btc));
  const ethMarket = new MarketRiskState(new MarketSpec(eth), riskMarket(eth));
  btcMarket.markPriceTicks = 600_000n; // 60,000.0
  ethMarket.markPriceTicks = 300_000n; // 3,000.00
  state.markets.set(btc.marketId, btcMarket);
  state.markets.set(eth.marketId, ethMarket);
  let made = 0;
  for (let i = 0; made < positions; i++) {
    const a = new AccountState(i + 1);
    a.walletAtoms = BigInt(100 + ((i * 7_919) % 49_900)) * 1_000_000n;
    const isolated = i % 5 === 4;
    const lots = BigInt(1 + (i % 997)) * (i % 2 === 0 ? 1n : -1n);
    const entry = 600_000n + BigInt(((i * 104_729) % 120_001) - 60_000);
    const p = new PositionState(a.id, btc.marketId, 20n);
    p.qtyLots = lots;
    p.entryCostAtoms = (lots < 0n ? -lots : lots) * entry * btcMarket.atomsPerTickLot;
    if (isolated) {
      p.marginMode = MarginMode.ISOLATED;
      p.isolatedMarginAtoms = (p.entryCostAtoms / 10n) | 1n;
    }
    a.positions.set(btc.marketId, p);
    made++;
    if (!isolated && i % 4 === 0 && made < positions) {
      const e = new PositionState(a.id, eth.marketId, 10n);
      e.qtyLots = -lots * 10n;
      e.entryCostAtoms = (lots < 0n ? -lots : lots) * 10n * 300_000n * ethMarket.atomsPerTickLot;
      a.positions.set(eth.marketId, e);
      made++;
    }
    state.accounts.set(a.id, a);
  }
  return state;
}

function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function timeMsAsync(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const suite: Suite = {
  description: 'what-if shock scan of 1M positions under 5 shocks: one thread vs piscina pool (1 and 2 threads)',
  async run(ctx) {
    const positions = intOption(ctx.args, '--positions', ctx.quick ? 100_000 : 1_000_000);
    const runs = ctx.quick ? 3 : 7;
    const state = buildPopulation(positions);
    const shocks = uniformShocks(SHOCKS_BPS, 2);

    let snap: ScanSnapshot | undefined;
    const snapMs: number[] = [];
    for (let r = 0; r < runs; r++) snapMs.push(timeMs(() => (snap = buildScanSnapshot(state))));
    // The way the risk worker copies: SLICE accounts per loop turn. Each slice is a pause of the shard.
    const sliceMs: number[] = [];
    for (let r = 0; r < (ctx.quick ? 1 : 3); r++) {
      let b: ScanSnapshotBuilder | undefined;
      sliceMs.push(timeMs(() => (b = new ScanSnapshotBuilder(state)))); // the first turn: the account list
      for (let done = false; !done; ) sliceMs.push(timeMs(() => (done = b!.step(SLICE))));
      b!.finish();
    }
    const snapshots = [snap!];
    const scopes = snap!.scopeCount;

    let reference: ShockReport | undefined;
    scanInThread(snapshots, shocks); // warm-up
    const threadMs: number[] = [];
    for (let r = 0; r < runs; r++) threadMs.push(timeMs(() => (reference = scanInThread(snapshots, shocks))));

    const poolMs = new Map<number, number[]>();
    let agree = true;
    for (const threads of [1, 2]) {
      const scanner = new ShockScanner({ threads });
      try {
        await scanner.scan(snapshots, shocks); // warm-up: starts the pool threads
        const samples: number[] = [];
        for (let r = 0; r < runs; r++) {
          let got: ShockReport | undefined;
          samples.push(await timeMsAsync(async () => void (got = await scanner.scan(snapshots, shocks))));
          if (!isDeepStrictEqual(got, reference)) agree = false;
        }
        poolMs.set(threads, samples);
      } finally {
        await scanner.close();
      }
    }
    if (!agree) console.error(`${SUITE}: the pool's report differs from the calling thread's`);

    const caseOf = (name: string, ms: number[], extra: Record<string, string | number | boolean>): CaseResult =>
      fromSamples(SUITE, name, ms, scopes, { positions: snap!.positionCount, scopes, shocks: shocks.length, medianMs: Math.round(median(ms) * 10) / 10, ...extra });
    const base = median(threadMs);
    const bankruptAtHalf = reference!.outcomes[0]!.bankrupt;
    return [
      caseOf('snapshot in one go', snapMs, {}),
      {
        suite: SUITE,
        case: `snapshot slice of ${SLICE} accounts (risk worker, per loop turn)`,
        opsPerSec: Math.round(SLICE / (median(sliceMs) / 1000)),
        p50Ns: Math.round(median(sliceMs) * 1e6),
        p99Ns: Math.round(percentile([...sliceMs].sort((a, b) => a - b), 99) * 1e6),
        samples: sliceMs.length,
        maxMs: Math.round(Math.max(...sliceMs) * 100) / 100,
        slicesPerSnapshot: Math.ceil(state.accounts.size / SLICE),
      },
      caseOf('scan, calling thread', threadMs, { bankruptAtMinus50: bankruptAtHalf }),
      caseOf('scan, piscina 1 thread', poolMs.get(1)!, { speedupVsThread: Math.round((base / median(poolMs.get(1)!)) * 100) / 100, agrees: agree }),
      caseOf('scan, piscina 2 threads', poolMs.get(2)!, { speedupVsThread: Math.round((base / median(poolMs.get(2)!)) * 100) / 100, agrees: agree }),
    ];
  },
};

export default suite;
