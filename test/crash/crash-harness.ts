// The crash harness: runs the exchange in a child process (crash-child.ts) under load from a client that
// records every acknowledgement, kills it with SIGKILL at random instants or lets it kill itself at a
// named point, restarts it on the same data directory, and checks after every restart and at the end:
//
//   - recovery: every shard's recovered state hash equals a clean replay of its journal;
//   - nothing acknowledged lost, nothing applied twice: a clean replay of the final journals applies every
//     acknowledged operation exactly once and no operation twice (unacknowledged ones are retried, with
//     the same ids, after each restart);
//   - the risk invariants hold on the final state;
//   - read models: at a clean stop, the read models and books the child kept since its last restart
//     (loaded from the shards' state while operations kept arriving) equal a fresh copy (views-check.ts).

import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryOutput } from '../../engine/shard/event-output.js';
import { Durability } from '../../exchange/durability.js';
import { replayShard } from '../../exchange/journal-replay.js';
import { RiskShard } from '../../risk/shard/risk-shard.js';
import { rng } from '../support/seed.js';
import { ackOf, appliedBy } from './acks.js';
import { acknowledged, CrashLoad, type Op } from './crash-ops.js';
import { crashConfig, crashRiskMarkets, crashTopology } from './crash-topology.js';

const CRASH_POINTS = ['random', 'journal-write', 'snapshot', 'liquidation', 'adl'] as const;
export type CrashMode = (typeof CRASH_POINTS)[number];

export interface CrashOptions {
  readonly runs: number;
  readonly seed: number;
  /** Operations the client keeps in flight (sent, not yet acknowledged). */
  readonly inFlight?: number;
  /** New operations per cycle at most (bounds the journal, which a restart replays in full). */
  readonly maxOpsPerCycle?: number;
  /** Operations sent per 2 ms tick at most (the offered rate). */
  readonly opsPerTick?: number;
  /** How long a cycle waits for its named point before a random kill (ms). */
  readonly namedWindowMs?: number;
  /** Prove recovery (recover, stop, compare with a clean replay) every this many cycles, and at the end. */
  readonly proveEvery?: number;
  /** Operations the last, clean cycle sends before it stops. */
  readonly finalOps?: number;
  /** Longest a cycle runs before a random kill (ms). */
  readonly maxCycleMs?: number;
  readonly log?: (line: string) => void;
}

export interface CrashSummary {
  cycles: number;
  /** Cycles that ended at each named point (a named point that never came is a random kill). */
  byPoint: Record<string, number>;
  acknowledged: number;
  lost: number;
  appliedTwice: number;
  recoveryMismatches: number;
  /** Differences between the read models kept since a restart and a fresh copy of the shards' state, at clean stops. */
  viewMismatches: string[];
  /** Clean stops whose read models were compared. */
  viewsChecked: number;
  /** Restarts whose recovered hashes were compared with a clean replay. */
  recoveriesProved: number;
  invariantViolations: string[];
  operations: number;
}

const childScript = new URL('./crash-child.js', import.meta.url);

interface Child {
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  recovered: Promise<{ clean: string[]; recovered: string[]; records: number[] }>;
  ready: Promise<void>;
  stopped: Promise<string[]>;
}

function start(dir: string, env: Record<string, string>, onAck: (key: string, code: number) => void, onViews: (mismatches: string[]) => void): Child {
  const proc = fork(childScript, [dir], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let recovered!: Child['recovered'] extends Promise<infer T> ? (v: T) => void : never;
  let ready!: () => void;
  let stopped!: (h: string[]) => void;
  const c: Child = {
    proc,
    exited: new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal }))),
    recovered: new Promise((res) => (recovered = res)),
    ready: new Promise((res) => (ready = res)),
    stopped: new Promise((res) => (stopped = res)),
  };
  proc.on('message', (m: { type: string; acks?: [string, number][]; hashes?: string[]; clean?: string[]; recovered?: string[]; records?: number[]; message?: string; mismatches?: string[] }) => {
    if (m.type === 'recovered') recovered({ clean: m.clean!, recovered: m.recovered!, records: m.records! });
    else if (m.type === 'ready') ready();
    else if (m.type === 'acks') for (const [k, code] of m.acks!) onAck(k, code);
    else if (m.type === 'stopped') stopped(m.hashes!);
    else if (m.type === 'views') onViews(m.mismatches!);
    else if (m.type === 'failed') console.error(`crash child failed: ${m.message}`);
  });
  return c;
}

class KilledEarly extends Error {}

/** Resolves when p does; rejects when the child exits first (KilledEarly when a crash point killed it). */
function orExit<T>(c: Child, p: Promise<T>, what: string): Promise<T> {
  return Promise.race([p, c.exited.then(({ code, signal }) => Promise.reject(signal === 'SIGKILL' ? new KilledEarly(what) : new Error(`child exited (${code ?? signal}) before ${what}`)))]);
}

export async function runCrashCycles(o: CrashOptions): Promise<CrashSummary> {
  const log = o.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'perpx-crash-'));
  const r = rng(o.seed);
  const load = new CrashLoad(o.seed);
  const ops = new Map<string, Op>();
  /** Result code of each acknowledged operation (the first acknowledgement counts). */
  const acked = new Map<string, number>();
  const unacked: Op[] = [];
  const summary: CrashSummary = { cycles: 0, byPoint: {}, acknowledged: 0, lost: 0, appliedTwice: 0, recoveryMismatches: 0, viewMismatches: [], viewsChecked: 0, recoveriesProved: 0, invariantViolations: [], operations: 0 };
  /** Operations sent that carry an acknowledgement (ticks do not). */
  let ackable = 0;
  const onAck = (key: string, code: number) => {
    if (!acked.has(key)) acked.set(key, code);
  };
  const inFlight = o.inFlight ?? 2_000;
  try {
    for (let cycle = 0; cycle <= o.runs; cycle++) {
      const last = cycle === o.runs;
      const mode: CrashMode = last ? 'random' : CRASH_POINTS[r() % CRASH_POINTS.length]!;
      const env: Record<string, string> = last || mode === 'random' ? {} : { PERPX_CRASH_AT: mode, PERPX_CRASH_SKIP: String(r() % 8) };
      // Every proveEvery-th cycle (and the last) first proves recovery: recover, stop, compare with a clean replay.
      const prove = last || cycle % (o.proveEvery ?? 2) === 0;
      const child = start(dir, { ...env, PERPX_CRASH_PROVE: prove ? '1' : '0' }, onAck, (m) => {
        summary.viewsChecked++;
        summary.viewMismatches.push(...m);
      });
      try {
        if (prove) {
          const rec = await orExit(child, child.recovered, 'recovering');
          summary.recoveriesProved++;
          if (rec.clean.join() !== rec.recovered.join()) {
            summary.recoveryMismatches++;
            log(`cycle ${cycle}: recovered ${rec.recovered.join(' ')} but a clean replay gives ${rec.clean.join(' ')}`);
          }
        }
        await orExit(child, child.ready, 'serving');
      } catch (e) {
        // A named point reached while recovering (the journal writer writes re-delivered records too): a
        // crash during recovery, which the next cycle must survive like any other.
        if (!(e instanceof KilledEarly) || last) throw e;
        summary.byPoint[`${mode} (recovering)`] = (summary.byPoint[`${mode} (recovering)`] ?? 0) + 1;
        summary.cycles++;
        log(`cycle ${cycle}: killed (${mode}) while recovering`);
        for (const op of ops.values()) if (acknowledged(op) && !acked.has(op.key)) unacked.push(op);
        continue;
      }
      // Retry what was never acknowledged (same ids), then new load.
      const retry = unacked.splice(0).filter((op) => !acked.has(op.key));
      let sent = 0;
      // A named point gets time to come (a liquidation needs a swing first); a random kill comes at a random instant.
      const deadline = performance.now() + (mode === 'random' ? 50 + (r() % (o.maxCycleMs ?? 600)) : (o.namedWindowMs ?? 1_500));
      let exited = false;
      void child.exited.then(() => (exited = true));
      const pending: Op[] = [...retry];
      const finalOps = o.finalOps ?? 2_000;
      while (!exited && (last ? sent < finalOps || pending.length > 0 : performance.now() < deadline)) {
        const outstanding = ackable - acked.size;
        const batch: Op[] = [];
        while (batch.length < (o.opsPerTick ?? 200) && outstanding + batch.length < inFlight + retry.length) {
          if (pending.length === 0 && !last && sent - retry.length >= (o.maxOpsPerCycle ?? Infinity)) break;
          const op = pending.shift() ?? load.take();
          if (!ops.has(op.key)) {
            ops.set(op.key, op);
            if (acknowledged(op)) ackable++;
          }
          batch.push(op);
          sent++;
          if (last && sent >= finalOps && pending.length === 0) break;
        }
        // A child that kills itself at a named point can go between the check and the write: the send then
        // fails with EPIPE, which the callback takes (without one it is an 'error' event that fails the run).
        if (batch.length > 0 && child.proc.connected) child.proc.send({ type: 'ops', ops: batch }, () => {});
        await new Promise((res) => setTimeout(res, 2));
      }
      if (last) {
        child.proc.send({ type: 'stop' });
        await orExit(child, child.stopped, 'stopping');
        await child.exited;
        summary.byPoint.clean = (summary.byPoint.clean ?? 0) + 1;
      } else {
        const onItsOwn = exited;
        if (!onItsOwn) child.proc.kill('SIGKILL');
        const how = await child.exited;
        if (onItsOwn && (mode === 'random' || how.signal !== 'SIGKILL')) throw new Error(`cycle ${cycle}: the child died on its own (${JSON.stringify(how)})`);
        const point = onItsOwn ? mode : 'random';
        summary.byPoint[point] = (summary.byPoint[point] ?? 0) + 1;
        summary.cycles++;
        log(`cycle ${cycle}: killed (${point}) after ${sent} operations, ${acked.size} acknowledged so far`);
      }
      for (const op of ops.values()) if (acknowledged(op) && !acked.has(op.key)) unacked.push(op);
    }
    await check(dir, ops, acked, summary);
    return summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The final journals replayed cleanly: every acknowledged operation applied once, none twice, invariants hold. */
async function check(dir: string, ops: Map<string, Op>, acked: Map<string, number>, summary: CrashSummary): Promise<void> {
  const d = await Durability.open({ dir, log: () => {}, fromSnapshots: false }, crashTopology, crashConfig);
  const applied = new Map<string, number>();
  for (const log of d.logs) {
    const out = new MemoryOutput(4_096);
    const shard = replayShard({ topology: crashTopology, riskMarkets: crashRiskMarkets }, log, log.count, out);
    for (let i = 0; i < out.length; i++) {
      const a = ackOf(out.records, out.offsetOf(i));
      if (a && a[1] === 0) applied.set(a[0], (applied.get(a[0]) ?? 0) + 1);
    }
    if (shard instanceof RiskShard) summary.invariantViolations.push(...shard.checkInvariants({ allAccountsHere: false }).map((v) => `risk shard ${log.shard}: ${v}`));
  }
  for (const op of ops.values()) {
    if (!acknowledged(op)) continue;
    summary.operations++;
    const n = applied.get(op.key) ?? 0;
    if (n > 1) summary.appliedTwice++;
    const code = acked.get(op.key);
    if (code === undefined) continue;
    summary.acknowledged++;
    if (appliedBy(code) && n !== 1) {
      summary.lost++;
      if (process.env.CRASH_DEBUG && summary.lost < 6) console.log(`lost ${op.key} acked ${code}: ${JSON.stringify(op)}`);
    }
  }
}

export function summaryLine(s: CrashSummary): string {
  const points = Object.entries(s.byPoint)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `crash: ${s.cycles} cycles (${points}), ${s.operations} operations, ${s.acknowledged} acknowledged checked, lost ${s.lost}, applied twice ${s.appliedTwice}, recoveries proved ${s.recoveriesProved}, mismatches ${s.recoveryMismatches}, read models checked ${s.viewsChecked} (${s.viewMismatches.length} differences), invariant violations ${s.invariantViolations.length}`;
}
