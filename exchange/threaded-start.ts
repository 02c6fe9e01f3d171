// The threaded exchange's start and recovery sequence (ThreadedExchange.start): it makes every ring and
// doorbell (ring-wiring.ts), starts the surveillance workers, then each risk shard and each market worker as
// soon as its own snapshot is checked, waits for every replay and for the journal read, and hands back the
// running pieces the exchange is made of. A start that fails stops whatever it had started and closes the
// journal before it throws. Kept apart from threaded-exchange.ts because it is a one-time sequence with its
// own failure handling and ordering rules, while the exchange itself is the steady-state offer/poll/stop
// surface over what this returns.

import { availableParallelism } from 'node:os';
import type { Doorbell } from '../engine/ring/doorbell.js';
import { RingBuffer } from '../engine/ring/ring-buffer.js';
import type { WaitStrategyName } from '../engine/ring/wait-strategy-by-name.js';
import { MarketShardHost, type MarketShardOptions } from '../engine/shard/market-shard-host.js';
import type { ShardReplayData } from '../engine/shard/worker-journal.js';
import type { JournalHost } from '../persistence/journal-host.js';
import { DEFAULT_POOL } from '../risk/shard/config.js';
import { RiskShardHost } from '../risk/shard/risk-shard-host.js';
import type { Durability } from './durability.js';
import { GatewayStream } from './gateway-stream.js';
import { wireRings } from './ring-wiring.js';
import { SurveillanceGroup } from './surveillance/surveillance-group.js';
import type { ThreadedOptions } from './threaded-options.js';
import { defaultMarketWorkers, defaultWait, marketWorkerGroups, type Topology } from './topology.js';

/** What a started threaded exchange runs on: every shard started and recovered, its streams made. */
export interface ThreadedParts {
  topology: Topology;
  /** The main thread's doorbell: shards ring it when they publish gateway-bound records. */
  bell: Doorbell;
  toRisk: GatewayStream[];
  toMarket: GatewayStream[];
  marketHosts: MarketShardHost[];
  riskHosts: RiskShardHost[];
  surveillance: SurveillanceGroup | undefined;
  /** The journal writer, started, when the exchange is durable. */
  journal: JournalHost | undefined;
  maxLagRecords: number;
  wait: WaitStrategyName;
}

/**
 * Waits for every shard's replay and for `read` (the journals read and verified, the writer started); with
 * a journal to replay, its progress is logged once a second and at the end. Rejects at the first failure
 * of either (a shard stopped in its replay never reports it: the read's failure ends the wait).
 */
async function replayed(hosts: readonly (MarketShardHost | RiskShardHost)[], d: Durability | undefined, read: Promise<unknown> | undefined): Promise<void> {
  const all = Promise.all([...hosts.map((h) => h.replayed()), read]);
  if (d === undefined || d.replayTotal === 0) return void (await all);
  const began = performance.now();
  const done = () => hosts.reduce((sum, h) => sum + (h.stats().replayed ?? 0), 0);
  const timer = setInterval(() => d.replayProgress(done(), performance.now() - began, false), 1_000);
  try {
    await all;
  } finally {
    clearInterval(timer);
  }
  d.replayProgress(d.replayTotal, performance.now() - began, true);
}

/**
 * Starts every shard (and surveillance worker) of the exchange `o` describes and waits until each has
 * recovered (docs/ARCHITECTURE.md, "Recovery"); rejects at the first failure, with everything it started stopped.
 */
export async function startThreaded(o: ThreadedOptions): Promise<ThreadedParts> {
  const t = o.topology;
  const R = t.riskShards;
  const S = t.marketShards;
  const cap = o.ringCapacity ?? 4096;
  const ring = () => RingBuffer.create(cap);
  const d = o.durability;
  const cores = o.cores ?? availableParallelism();
  const others = { riskShards: R, journalWriter: d !== undefined, surveillanceWorkers: o.surveillance ? Math.min(o.surveillance.workers ?? 1, S) : 0 };
  const groups = marketWorkerGroups(S, o.marketWorkers ?? defaultMarketWorkers(cores, S, others));
  const wait = o.wait ?? defaultWait(cores, groups.length, others);
  const riskMarkets = t.riskMarketsOf(o.riskMarkets);
  const marketShardOf = new Map(t.markets().map((m) => [m.marketId, t.marketShardOf(m.marketId)]));
  const surveillance = o.surveillance ? new SurveillanceGroup(S, o.surveillance) : undefined;
  // Surveillance reads each market shard's gateway-bound stream as a second consumer of its ring.
  const w = wireRings(S, R, groups, cap, surveillance ? () => surveillance.gatewayRing(cap) : undefined);
  const { gatewayBell, marketBells, riskBells, gatewayToMarket, gatewayToRisk, riskToMarket, marketToRisk, marketGateway } = w;

  const marketHosts: MarketShardHost[] = [];
  const riskHosts: RiskShardHost[] = [];
  // Made now (the shards copy their inputs into its taps), started once every journal is read and
  // verified: a start whose read fails has written nothing, and never serves.
  const journal = d?.journalHost(gatewayBell);
  let abandoned = false;
  const journalStarted = d && journal ? d.recovered().then(() => (abandoned ? undefined : journal.start())) : undefined;
  // Awaited below, after the shards have started: a failed read must not count as unhandled meanwhile.
  journalStarted?.catch(() => {});
  // Each shard starts as soon as its own snapshot is checked (Durability.replayOf), the risk shards' first
  // (their replays are the restart's long pole): none waits for another shard's snapshot check, nor for
  // another worker's start (its module load and snapshot decode). Without durability all start at once.
  const began = performance.now();
  const replayOf = (x: number): Promise<ShardReplayData | undefined> => (d ? d.replayOf(x) : Promise.resolve(undefined));
  const starts: Promise<void>[] = [];
  try {
    // The consumers first, so no market shard ever publishes into a ring nobody reads.
    await surveillance?.start(wait, marketGateway);
    const marketOptions = (s: number, replay: ShardReplayData | undefined): MarketShardOptions => ({
      shardId: s,
      markets: t.config.marketShards[s]!,
      inputs: 1 + R,
      gatewayBell,
      riskBells,
      wait,
      pricing: o.pricing,
      timeHorizonUs: o.timeHorizonUs,
      journal: journal?.shardData(s),
      replay,
      surveillance: surveillance ? { bell: surveillance.bellOf(s) } : undefined,
      prebuilt: {
        bell: marketBells[s]!,
        inputs: [gatewayToMarket[s]!, ...riskToMarket.map((row) => row[s]!)],
        gatewayOut: marketGateway[s]!,
        outputs: marketToRisk[s]!,
      },
    });
    for (let r = 0; r < R; r++) {
      starts.push(
        replayOf(S + r).then(async (replay) => {
          // A start that already failed starts no more workers (the ones that did are stopped below).
          if (abandoned) return;
          const h = await RiskShardHost.start({
            shardId: r,
            shardCount: R,
            markets: riskMarkets,
            pool: o.pool ?? DEFAULT_POOL,
            marketShardOf,
            gatewayBell,
            marketBells,
            wait,
            journal: journal?.shardData(S + r),
            replay,
            prebuilt: {
              bell: riskBells[r]!,
              inputs: [gatewayToRisk[r]!, ...marketToRisk.map((row) => row[r]!)],
              gatewayOut: ring(),
              outputs: riskToMarket[r]!,
            },
          });
          riskHosts[r] = h;
          if (replay) d?.shardReplayedLog(S + r, h.replayed(), began);
        }),
      );
    }
    for (const g of groups) {
      starts.push(
        Promise.all(g.map((s) => replayOf(s))).then(async (replays) => {
          if (abandoned) return;
          for (const [i, h] of (await MarketShardHost.startGroup(g.map((s, i) => marketOptions(s, replays[i])))).entries()) {
            marketHosts[g[i]!] = h;
            if (replays[i]) d?.shardReplayedLog(g[i]!, h.replayed(), began);
          }
        }),
      );
    }
    // Every shard started, or the first failure: of a start, or of the read (which stops the start at once).
    const readFailed = journalStarted?.then(() => new Promise<never>(() => {}));
    await (readFailed ? Promise.race([Promise.all(starts), readFailed]) : Promise.all(starts));
    // Recovered before serving: every journal read and verified, the writer started, and every shard has
    // handled its journal (re-delivery may still be in flight). The first failure of either ends the start.
    await replayed([...marketHosts, ...riskHosts], d, journalStarted);
    // Markets listed at run time come back with the shards that hold them: route to those again.
    marketHosts.forEach((h, s) => h.listedAtStart().forEach((l) => t.listMarket(l.marketId, s)));
    d?.startSnapshots();
  } catch (e) {
    abandoned = true;
    // Every start that began has ended (a worker half started is stopped with the rest), so the hosts
    // known now are every worker there is. Market workers start group by group and the risk shards on
    // their own, so a failure can leave holes in both lists. A shard still replaying a journal whose
    // read failed gives up its wait when stopped (replay-feed.ts).
    await Promise.allSettled(starts);
    await Promise.allSettled([...[...marketHosts, ...riskHosts].filter((h) => h !== undefined).map((h) => h.stop()), ...(surveillance?.stop() ?? [])]);
    // The read runs to its end (or its first failure) and closes the store before the start fails: a
    // caller may open the directory again at once. `abandoned` kept the writer from starting after it.
    await journalStarted?.catch(() => {});
    await journal?.stop().catch(() => {});
    throw e;
  }
  const stream = (rb: RingBuffer, bell: Doorbell, x: number) => {
    const g = new GatewayStream(rb, bell);
    if (d) g.nextSeq = d.gatewayNextSeq(x);
    return g;
  };
  return {
    topology: t,
    bell: gatewayBell,
    toRisk: gatewayToRisk.map((rb, r) => stream(rb, riskBells[r]!, S + r)),
    toMarket: gatewayToMarket.map((rb, s) => stream(rb, marketBells[s]!, s)),
    marketHosts,
    riskHosts,
    surveillance,
    journal,
    maxLagRecords: d?.maxLagRecords ?? 0,
    wait,
  };
}
