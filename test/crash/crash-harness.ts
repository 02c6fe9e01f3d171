// The crash harness: runs the exchange as `npm start` runs it (exchange-process.ts) and drives it only as
// clients do: the crash client (crash-client.ts) trades over the gateway's WebSocket with the TypeScript
// client and credits deposits and moves the index through the operator HTTP, recording every
// acknowledgement. Each cycle kills the exchange with SIGKILL at a random instant or lets it kill itself
// at a named point (journal-write, snapshot, liquidation, adl: persistence/crash-points.ts), restarts it
// on the same directories, and then, before any retry, the client reconciles its record with what the
// restarted exchange shows; then it retries what was never acknowledged, with the same ids. Checks:
//
//   - after every restart: the client's reconciliation (nothing acknowledged missing, no client order id
//     open twice);
//   - recovery: every proveEvery-th restart (while the exchange is down) the harness recovers the data
//     directory itself and compares every shard's state hash with a clean replay of its journal; at the
//     end, the hashes the exchange logs at its clean stop are compared with a clean replay;
//   - nothing acknowledged lost, nothing applied twice: a clean replay of the final journals applies each
//     acknowledged order, deposit, withdrawal and leverage change exactly once, no order or request twice,
//     and no client order id of an account under two orders;
//   - the risk invariants hold on the final state.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code } from '../../engine/codes.js';
import { MemoryOutput } from '../../engine/shard/event-output.js';
import { RecordType } from '../../engine/ring/types.js';
import { Durability } from '../../exchange/durability.js';
import { replayShard } from '../../exchange/journal-replay.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { RiskShard } from '../../risk/shard/risk-shard.js';
import { rng } from '../support/seed.js';
import { appliedOf } from './acks.js';
import { CrashClient } from './crash-client.js';
import { CrashLoad } from './crash-ops.js';
import { crashConfig, crashRiskMarkets, crashTopology, ExchangeProcess } from './exchange-process.js';

const CRASH_POINTS = ['random', 'journal-write', 'snapshot', 'liquidation', 'adl'] as const;
export type CrashMode = (typeof CRASH_POINTS)[number];

export interface CrashOptions {
  readonly runs: number;
  readonly seed: number;
  /** Requests the client keeps unanswered at most. */
  readonly inFlight?: number;
  /** Operations sent per 5 ms tick at most (the offered rate). */
  readonly opsPerTick?: number;
  /** New operations per cycle at most (bounds the journal a clean replay reads). */
  readonly maxOpsPerCycle?: number;
  /** How long a cycle waits for its named point before a random kill (ms). */
  readonly namedWindowMs?: number;
  /** While waiting for a liquidation or an ADL, swing the index this often (ms). */
  readonly swingEveryMs?: number;
  /** Longest a cycle runs before a random kill (ms). */
  readonly maxCycleMs?: number;
  /** Prove recovery (recover, stop, compare with a clean replay) after every this many kills (also those while recovering). */
  readonly proveEvery?: number;
  /** Operations the last, clean cycle sends before it stops. */
  readonly finalOps?: number;
  /** The kills to choose from (default all: random and every named point). */
  readonly points?: readonly CrashMode[];
  /** Extra environment of the exchange (the broken builds of the loss and double-withdrawal tests). */
  readonly env?: Record<string, string>;
  readonly log?: (line: string) => void;
}

export interface CrashSummary {
  cycles: number;
  /** Cycles that ended at each named point (a named point that never came is a random kill). */
  byPoint: Record<string, number>;
  /** Operations sent that carry an acknowledgement. */
  operations: number;
  /** Acknowledged operations checked against the final journals. */
  acknowledged: number;
  /** Acknowledgements checked by the client's reconciliations after restarts. */
  reconciled: number;
  /** User streams resumed after restarts. */
  resumes: number;
  lost: number;
  appliedTwice: number;
  recoveriesProved: number;
  recoveryMismatches: number;
  /** Accounts whose wallet the gateway showed at the end differs from the final journals' state. */
  walletMismatches: number;
  invariantViolations: string[];
  /** Liquidation steps and ADL executions in the final journals' replay (the flow must make some). */
  liquidations: number;
  adl: number;
  /** The first few problems found (lost, twice, mismatches), for the log. */
  problems: string[];
}

/** Recovers the data directory in this process, stops, and compares each shard's hash with a clean replay of its journal. */
async function proveRecovery(dir: string): Promise<{ clean: string[]; recovered: string[] }> {
  const quiet = () => {};
  const ex = await ThreadedExchange.start({ topology: crashTopology, riskMarkets: crashRiskMarkets, durability: await Durability.open({ dir, log: quiet }, crashTopology, crashConfig) });
  // Re-delivered records are consumed (and journaled) before the stop: the clean replay below reads them too.
  for (let idle = 0; idle < 10; ) {
    await ex.waitForOutput(2);
    idle = ex.poll(() => {}) === 0 ? idle + 1 : 0;
  }
  const h = await ex.stop();
  return { recovered: [...h.market, ...h.risk].map((x) => x?.toString(16) ?? 'failed'), clean: await cleanHashes(dir) };
}

async function cleanHashes(dir: string): Promise<string[]> {
  const d = await Durability.open({ dir, log: () => {}, fromSnapshots: false }, crashTopology, crashConfig);
  return d.logs.map((log) => replayShard({ topology: crashTopology, riskMarkets: crashRiskMarkets }, log).stateHash().toString(16));
}

/** Acknowledged operations the first cycle waits for before its kill. */
const WARM_UP = 400;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until every request the client sent has its answer or cannot get one (a dead exchange's fail fast). */
async function settled(client: CrashClient): Promise<void> {
  for (let waited = 0; client.outstanding > 0; waited += 10) {
    if (waited > 120_000) throw new Error(`${client.outstanding} requests still unanswered after two minutes`);
    await pause(10);
  }
}

export async function runCrashCycles(o: CrashOptions): Promise<CrashSummary> {
  const t0 = performance.now();
  const log = o.log ? (l: string) => o.log!(`[${Math.round(performance.now() - t0)} ms] ${l}`) : () => {};
  const dir = mkdtempSync(join(tmpdir(), 'perpx-crash-'));
  const r = rng(o.seed);
  const load = new CrashLoad(o.seed);
  const client = new CrashClient();
  const s: CrashSummary = { cycles: 0, byPoint: {}, operations: 0, acknowledged: 0, reconciled: 0, resumes: 0, lost: 0, appliedTwice: 0, recoveriesProved: 0, recoveryMismatches: 0, walletMismatches: 0, invariantViolations: [], liquidations: 0, adl: 0, problems: [] };
  const problem = (p: string) => {
    if (s.problems.length < 10) s.problems.push(p);
    log(p);
  };
  const count = (point: string) => {
    s.byPoint[point] = (s.byPoint[point] ?? 0) + 1;
    s.cycles++;
  };
  const prove = async (cycle: number) => {
    const p = await proveRecovery(dir);
    s.recoveriesProved++;
    if (p.clean.join() !== p.recovered.join()) {
      s.recoveryMismatches++;
      problem(`cycle ${cycle}: recovered ${p.recovered.join(' ')}, a clean replay gives ${p.clean.join(' ')}`);
    }
  };
  let stopHashes: string[] = [];
  /** The wallets the gateway showed once everything was answered, before the clean stop. */
  let shown = new Map<number, bigint>();
  const points = o.points ?? CRASH_POINTS;
  const first = r() % points.length;
  try {
    for (let cycle = 0, kills = 0; cycle <= o.runs; cycle++) {
      const last = cycle === o.runs;
      // The first cycle sets the accounts up before its kill, so it is a random one.
      // The kills go round the points from a seeded start, so a few cycles already reach each of them.
      const mode: CrashMode = cycle === 0 || last ? 'random' : points[(first + cycle) % points.length]!;
      // Skips vary where a point hits (the first batch written or a later one); an ADL comes rarely enough as it is.
      const skip = mode === 'adl' ? 0 : r() % (mode === 'journal-write' ? 8 : 2);
      const env: Record<string, string> = mode === 'random' ? {} : { PERPX_CRASH_AT: mode, PERPX_CRASH_SKIP: String(skip) };
      client.cycle = cycle;
      const ex = ExchangeProcess.start(dir, { ...env, ...o.env });
      try {
        const ep = await ex.ready;
        log(`cycle ${cycle}: ready`);
        if (cycle === 0) await client.setUp(ep);
        await client.connect(ep);
        if (cycle > 0) {
          const f = await client.reconcile();
          s.reconciled += f.checked;
          s.lost += f.lost;
          s.appliedTwice += f.twice;
          for (const p of f.problems) problem(`cycle ${cycle}, after the restart: ${p}`);
        }
      } catch (e) {
        // A named point reached while recovering or reconciling (the journal writer writes re-delivered
        // records too, the snapshotter may start at once): a crash before the load, which the next cycle
        // must survive like any other.
        await Promise.race([ex.exited, pause(5_000)]);
        const onItsOwn = ex.ended !== undefined;
        const how = await ex.kill();
        if (mode === 'random' || !onItsOwn || how.signal !== 'SIGKILL') throw e;
        await client.close();
        await settled(client);
        count(`${mode} (recovering)`);
        log(`cycle ${cycle}: killed (${mode}) while recovering or reconciling`);
        if (++kills % (o.proveEvery ?? 3) === 0) await prove(cycle);
        continue;
      }
      log(`cycle ${cycle}: reconciled`);
      const retried = await client.retry();
      log(`cycle ${cycle}: retried`);
      // A named point gets time to come (a liquidation needs a swing first); a random kill comes at a random instant.
      const deadline = performance.now() + (mode === 'random' ? 100 + (r() % (o.maxCycleMs ?? 1_500)) : (o.namedWindowMs ?? 3_000));
      let sent = 0;
      const budget = last ? (o.finalOps ?? 1_000) : (o.maxOpsPerCycle ?? Infinity);
      // Waiting for a liquidation or an ADL, the client swings the index every swingEveryMs.
      let nextSwing = mode === 'liquidation' || mode === 'adl' ? performance.now() + (o.swingEveryMs ?? 400) : Infinity;
      // The first cycle warms up (WARM_UP acknowledged) before its kill comes: positions for the swings to liquidate.
      while (ex.ended === undefined && sent < budget && (last || performance.now() < deadline || (cycle === 0 && client.acks.size < WARM_UP))) {
        if (performance.now() >= nextSwing) {
          // Sent at once, however many answers are outstanding.
          for (const op of load.swingNow()) void client.send(op);
          nextSwing += o.swingEveryMs ?? 400;
        }
        for (let n = 0; n < (o.opsPerTick ?? 10) && client.outstanding < (o.inFlight ?? 200) && sent < budget; n++) {
          const op = load.take();
          void client.send(op);
          sent++;
        }
        await pause(5);
      }
      if (last) {
        // Everything answered, everything refused for the moment sent again, then a clean stop.
        for (let round = 0; round < 50 && (client.outstanding > 0 || client.unacknowledged().length > 0); round++) {
          await settled(client);
          if (client.unacknowledged().length > 0) await Promise.all([client.retry(), pause(100)]);
        }
        const f = await client.reconcile();
        s.lost += f.lost;
        s.appliedTwice += f.twice;
        for (const p of f.problems) problem(`at the end: ${p}`);
        shown = await client.wallets();
        await client.close();
        stopHashes = await ex.stop();
        count('clean');
        log(`cycle ${cycle}: stopped cleanly after ${sent} operations (${retried} retried)`);
        break;
      }
      // While the window waits for a named point, a random kill comes only after it.
      while (ex.ended === undefined && mode !== 'random' && performance.now() < deadline) await pause(10);
      const onItsOwn = ex.ended !== undefined;
      const how = await ex.kill();
      if (onItsOwn && (mode === 'random' || how.signal !== 'SIGKILL')) throw new Error(`cycle ${cycle}: the exchange died on its own (${JSON.stringify(how)})`);
      await client.close();
      await settled(client);
      const point = onItsOwn ? mode : mode === 'random' ? 'random' : `random (no ${mode} in time)`;
      count(point);
      log(`cycle ${cycle}: killed (${point}) after ${sent} operations (${retried} retried), ${client.acks.size} acknowledged so far`);
      if (++kills % (o.proveEvery ?? 3) === 0) await prove(cycle);
    }
    s.resumes = client.resumes;
    await check(dir, client, s, shown);
    const clean = await cleanHashes(dir);
    s.recoveriesProved++;
    // As numbers: main.ts logs each hash in 16 hex digits, leading zeros included.
    const hash = (h: string) => (/^[0-9a-f]{1,16}$/.test(h) ? BigInt(`0x${h}`).toString(16) : h);
    if (clean.map(hash).join() !== stopHashes.map(hash).join()) {
      s.recoveryMismatches++;
      problem(`at the end: the exchange stopped at ${stopHashes.join(' ')}, a clean replay gives ${clean.join(' ')}`);
    }
    return s;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The final journals replayed cleanly: every acknowledged operation applied once, none twice, invariants hold. */
async function check(dir: string, client: CrashClient, s: CrashSummary, shown: ReadonlyMap<number, bigint>): Promise<void> {
  const d = await Durability.open({ dir, log: () => {}, fromSnapshots: false }, crashTopology, crashConfig);
  const applied = new Map<string, number>();
  /** Per account and client order id, the orders accepted under it. */
  const byCid = new Map<string, Set<number>>();
  for (const log of d.logs) {
    const out = new MemoryOutput(4_096);
    const shard = replayShard({ topology: crashTopology, riskMarkets: crashRiskMarkets }, log, log.count, out);
    for (let i = 0; i < out.length; i++) {
      const t = out.records.type(out.offsetOf(i));
      if (t === RecordType.LiquidationProgressed) s.liquidations++;
      else if (t === RecordType.AdlExecuted) s.adl++;
      const a = appliedOf(out.records, out.offsetOf(i));
      if (a === undefined) continue;
      const key = `${a.kind === 'order' ? 'o' : 'r'}${a.id}`;
      applied.set(key, (applied.get(key) ?? 0) + 1);
      if (a.kind === 'order' && a.clientOrderId !== 0) {
        const k = `${a.accountId}:${a.clientOrderId}`;
        byCid.set(k, (byCid.get(k) ?? new Set()).add(a.id));
      }
    }
    // The gateway's read models (kept since its last restart) against the final state: every wallet.
    if (shard instanceof RiskShard) {
      for (const [id, wallet] of shown) {
        const held = shard.state.accounts.get(id)?.walletAtoms;
        if (held !== undefined && held !== wallet) {
          s.walletMismatches++;
          if (s.problems.length < 10) s.problems.push(`account ${id}: the gateway showed wallet ${wallet}, the final state holds ${held}`);
        }
      }
    }
    if (shard instanceof RiskShard) s.invariantViolations.push(...shard.checkInvariants({ allAccountsHere: false }).map((v) => `risk shard ${log.shard}: ${v}`));
  }
  for (const [key, n] of applied) {
    if (n > 1) {
      s.appliedTwice++;
      if (s.problems.length < 10) s.problems.push(`${key} applied ${n} times`);
    }
  }
  for (const [k, ids] of byCid) {
    if (ids.size > 1) {
      s.appliedTwice++;
      if (s.problems.length < 10) s.problems.push(`account:client order id ${k} placed as orders ${[...ids].join(', ')}`);
    }
  }
  for (const op of client.ops.values()) {
    if (op.kind === 'index') continue;
    s.operations++;
    const ack = client.acks.get(op.key);
    if (ack === undefined) continue;
    s.acknowledged++;
    // Cancels and amendments are checked by reconciliation; the rest by what they applied.
    if (ack.engineId === undefined || !(ack.code === Code.OK || ack.code === Code.DUPLICATE_REQUEST)) continue;
    const n = applied.get(`${op.kind === 'place' ? 'o' : 'r'}${ack.engineId}`) ?? 0;
    if (n === 0) {
      s.lost++;
      if (s.problems.length < 10) s.problems.push(`lost: ${op.key} acknowledged (${ack.code}, id ${ack.engineId}) in cycle ${ack.cycle}, not in the journals`);
    }
  }
}

export function summaryLine(s: CrashSummary): string {
  const points = Object.entries(s.byPoint)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `crash: ${s.cycles} cycles (${points}), ${s.operations} operations, ${s.acknowledged} acknowledged checked, lost ${s.lost}, applied twice ${s.appliedTwice}, ${s.reconciled} acknowledgements reconciled after restarts, ${s.resumes} user streams resumed, liquidation steps ${s.liquidations}, ADL executions ${s.adl}, recoveries proved ${s.recoveriesProved}, mismatches ${s.recoveryMismatches}, wallets differing ${s.walletMismatches}, invariant violations ${s.invariantViolations.length}`;
}
