// recovery: what a restart costs an operator, end to end: issue #9's "10M journal records after a snapshot
// in under 10 s", and the mission's recovery time objective (RTO under 30 s, no data loss). A data
// directory is filled through the real threaded exchange with the journal on, then the exchange is started
// on it the way `npm start` starts it, in a child process, and timed from spawn to /readyz answering 200.
//
//   fill       ThreadedExchange + Durability on a fresh directory, driven by the seeded flow the pipeline,
//              journal and durable-ack suites drive (DemoDriver over demoFlow(1): 8 makers, 64 takers, both
//              default markets), as fast as the exchange takes commands, until the journal's durable
//              positions add up to --records (default 10,000,000; --quick 1,000,000). Two directories:
//                no snapshots   every restart replays the whole journal from position 0 (stricter than
//                               "after a snapshot": there is none to shorten it)
//                snapshots      the default policy (a snapshot per shard every 1,000,000 of its records),
//                               so a restart decodes the newest snapshot and replays the tail after it
//   restart    `node dist/gateway/main.js --data DIR --port 0 --operator-port 0 --mqtt none --json-logs`
//              (with --snapshot-records 0 on the first directory, so that no restart takes a snapshot),
//              /readyz polled every 10 ms. Each restart after the first follows a kill -9 of the one
//              before, once it was ready: a crash, then the time until the exchange serves again. Phases from
//              the child's own log lines: `open` (spawn → the data directory opened, its cut and snapshots
//              read: the "recovering" line), then reading and replaying overlap: `read` (open → every
//              journal read and every checksum verified, the torn tails dropped: "read and verified"),
//              `replay` (open → every shard replayed: the exchange's own "replayed" line, at least `read`),
//              `ready` (→ /readyz 200: the gateway's read models loaded from the shards, a mark of every
//              market). CPU: the child's user + system time (all threads) when /readyz first said ready;
//              and /metrics' perpx_replay_backlog_records then (summed: what the next restart would replay).
//   peer       the same directory's journal read, verified and replayed through fresh state machines on one
//              thread (readShardLog + replayShard, no workers, no process start): what the records alone
//              cost. restart / peer says what the process, the threads and the gateway add.
// Options after `--`: --records <n>, --restarts <n> (default 3; --quick 2), --keep (leave the directories
// and print where).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { Durability, producerTable } from '../../exchange/durability.js';
import { replayShard } from '../../exchange/journal-replay.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { DemoDriver } from '../../gateway/demo-driver.js';
import { parseStartOptions, snapshotPolicyOf } from '../../gateway/start-options.js';
import { CUT_KEY } from '../../persistence/keys.js';
import { decodeCut } from '../../persistence/cut-record.js';
import { readShardLog } from '../../persistence/journal-reader.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { riskMarket } from '../../risk/shard/config.js';
import { intOption, median, type CaseResult, type Suite } from '../harness.js';
import { demoFlow } from '../lib/demo-flow.js';
import { MAKER_USDT, TAKER_USDT } from './pipeline.js';

const SUITE = 'recovery';
const RISK_MARKETS = DEFAULT_MARKETS.map((m) => riskMarket(m));
const MAIN = fileURLToPath(new URL('../../gateway/main.js', import.meta.url));
/** The default snapshot policy of `npm start` (its options with none given): what the second directory is filled with. */
const DEFAULT_POLICY = (() => {
  const parsed = parseStartOptions([]);
  if (parsed.kind !== 'run') throw new Error('recovery: npm start refuses its own defaults');
  return snapshotPolicyOf(parsed.options)!;
})();
/** Commands offered per turn of the fill loop. */
const FILL_BATCH = 2_048;
/** Longest a restart may take before the suite gives up on it (a hung child is killed). */
const RESTART_LIMIT_MS = 600_000;
const CLOCK_TICK = 100;

/** The topology `npm start` runs on this machine with one risk shard: its data directory's meta must match. */
function topology(): Topology {
  return Topology.spread(DEFAULT_MARKETS, availableParallelism(), 1);
}

interface Fill {
  records: number;
  commands: number;
  seconds: number;
  snapshots: number;
}

/** Fills `dir` until the journal's durable positions add up to `records`; with `snapshots`, the default policy runs. */
async function fill(dir: string, records: number, snapshots: boolean): Promise<Fill> {
  const t = topology();
  const policy = snapshots ? DEFAULT_POLICY : undefined;
  const durability = await Durability.open({ dir, log: () => {}, snapshots: policy }, t, { topology: t.config, riskMarkets: RISK_MARKETS });
  const exchange = await ThreadedExchange.start({ topology: t, riskMarkets: RISK_MARKETS, durability });
  const shards = t.marketShards + t.riskShards;
  const durable = (): number => {
    let sum = 0;
    for (let x = 0; x < shards; x++) sum += durability.journal!.watermark.cutLow(x);
    return sum;
  };
  const start = performance.now();
  let commands = 0;
  try {
    const driver = new DemoDriver(exchange, demoFlow(1));
    driver.fund(MAKER_USDT, TAKER_USDT);
    await driver.untilMarked();
    let lastTick = performance.now();
    for (let turn = 0; ; turn++) {
      if (turn % CLOCK_TICK === 0 && durable() >= records) break;
      const taken = driver.drive(FILL_BATCH);
      commands += taken;
      driver.drain();
      const now = performance.now();
      if (now - lastTick >= 1_000) {
        driver.ticks();
        lastTick = now;
      }
      if (exchange.failure !== undefined) throw exchange.failure;
      if (exchange.journalFailure !== undefined) throw exchange.journalFailure;
      if (taken < FILL_BATCH) await exchange.waitForOutput(1);
    }
  } finally {
    await exchange.stop();
  }
  const taken = durability.snapshotter?.taken.length ?? 0;
  return { records: durable(), commands, seconds: (performance.now() - start) / 1_000, snapshots: taken };
}

interface Restart {
  /** ms from spawn: the directory opened (reading and replaying begin), every journal read and verified, every shard replayed, /readyz 200. */
  openMs: number;
  readMs: number;
  replayMs: number;
  readyMs: number;
  /** The child's CPU (every thread) when it was first ready, ms. */
  cpuMs: number;
  /** Journal records the shards replayed, as the child logged them; shards that started from a snapshot. */
  replayed: number;
  fromSnapshots: number;
  /** /metrics' perpx_replay_backlog_records summed over the shards once ready: what the next restart would replay. */
  backlog: number;
  child: ChildProcess;
}

/** The sum of perpx_replay_backlog_records over the shards, from the operator server's /metrics. */
async function replayBacklog(url: string): Promise<number> {
  const r = await request(`${url}/metrics`);
  const text = await r.body.text();
  let sum = 0;
  for (const m of text.matchAll(/^perpx_replay_backlog_records\{[^}]*\} (\d+)$/gm)) sum += Number(m[1]);
  return sum;
}

/** The child's user + system CPU time so far, ms (Linux /proc; NaN where there is none). */
function childCpuMs(pid: number): number {
  if (!existsSync(`/proc/${pid}/stat`)) return NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command's closing parenthesis.
  return ((Number(fields[11]) + Number(fields[12])) * 1_000) / 100;
}

/** Starts the exchange on `dir` as `npm start` does and resolves once /readyz says ready; the child keeps running. */
async function restart(dir: string, extra: readonly string[]): Promise<Restart> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [MAIN, '--data', dir, '--port', '0', '--operator-port', '0', '--mqtt', 'none', '--json-logs', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Partial<Restart> & { url?: string } = { child, openMs: undefined, readMs: undefined, replayMs: undefined, replayed: 0, fromSnapshots: 0 };
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited (${signal ?? code}) before it was ready`));
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString('utf8')));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let msg: string;
    try {
      msg = String((JSON.parse(line) as { msg?: unknown }).msg ?? '');
    } catch {
      return;
    }
    const at = performance.now() - t0;
    let m: RegExpMatchArray | null;
    if ((m = /^recovering .*?: (?:(\d+) shard\(s\) from a snapshot, then )?([\d,]+) journal records/.exec(msg))) {
      out.openMs = at;
      out.fromSnapshots = Number(m[1] ?? 0);
      out.replayed = Number(m[2]!.replace(/,/g, ''));
    } else if (/^read and verified [\d,]+ journal records/.test(msg)) out.readMs = at;
    else if (/^replayed [\d,]+ journal records/.test(msg)) out.replayMs = at;
    else if ((m = /^operator HTTP on (http:\/\/\S+)/.exec(msg))) out.url = m[1];
  });
  for (;;) {
    if (exited) throw new Error(`recovery: the exchange ${exited}: ${stderr.join('').slice(-2_000)}`);
    if (performance.now() - t0 > RESTART_LIMIT_MS) {
      child.kill('SIGKILL');
      throw new Error(`recovery: not ready after ${RESTART_LIMIT_MS} ms`);
    }
    if (out.url) {
      const r = await request(`${out.url}/readyz`).catch(() => undefined);
      if (r) {
        await r.body.dump();
        if (r.statusCode === 200) {
          const readyMs = performance.now() - t0;
          const cpuMs = childCpuMs(child.pid!);
          const backlog = await replayBacklog(out.url);
          // No journal to replay (an empty directory) logs no "replayed" line: the replay then took no time.
          const openMs = out.openMs ?? readyMs;
          return { child, readyMs, cpuMs, backlog, openMs, readMs: out.readMs ?? openMs, replayMs: out.replayMs ?? openMs, replayed: out.replayed ?? 0, fromSnapshots: out.fromSnapshots ?? 0 };
        }
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

/** The peer: the directory's journal read, verified and replayed through fresh state machines on this thread, ms. */
async function peer(dir: string): Promise<{ ms: number; records: number }> {
  const t = topology();
  const store = await RocksStore.open(dir, { readOnly: true });
  try {
    const t0 = performance.now();
    const cut = decodeCut((await store.get(CUT_KEY))!);
    const producers = producerTable(t);
    let records = 0;
    for (let x = 0; x < producers.length; x++) {
      const l = await readShardLog(store, x, cut.positions[x]!, { inputs: producers[x]!.length });
      records += l.count;
      replayShard({ topology: t, riskMarkets: RISK_MARKETS }, l);
    }
    return { ms: performance.now() - t0, records };
  } finally {
    await store.close();
  }
}

const round = (v: number): number => Math.round(v);

const suite: Suite = {
  description: 'recovery: a restart of `npm start` on a filled data directory, spawn → /readyz, after kill -9 (RTO), against replaying the same journal on one thread',
  async run(ctx) {
    const records = intOption(ctx.args, '--records', ctx.quick ? 1_000_000 : 10_000_000);
    const restarts = intOption(ctx.args, '--restarts', ctx.quick ? 2 : 3);
    const keep = ctx.args.includes('--keep');
    const root = mkdtempSync(join(tmpdir(), 'perpx-bench-recovery-'));
    const results: CaseResult[] = [];
    try {
      for (const snapshots of [false, true]) {
        const dir = join(root, snapshots ? 'snapshots' : 'no-snapshots');
        const f = await fill(dir, records, snapshots);
        const extra = snapshots ? [] : ['--snapshot-records', '0'];
        const runs: Restart[] = [];
        let previous: ChildProcess | undefined;
        try {
          for (let i = 0; i < restarts; i++) {
            if (previous) await kill9(previous);
            const r = await restart(dir, extra);
            previous = r.child;
            runs.push(r);
          }
        } finally {
          if (previous) await kill9(previous);
        }
        const p = snapshots ? undefined : await peer(dir);
        const ready = median(runs.map((r) => r.readyMs));
        results.push({
          suite: SUITE,
          case: `restart after kill -9, ${snapshots ? `default snapshot policy (every ${DEFAULT_POLICY.everyRecords.toLocaleString('en-US')} records)` : 'no snapshot'}: ${f.records.toLocaleString('en-US')} journal records`,
          opsPerSec: round((median(runs.map((r) => r.replayed)) * 1_000) / Math.max(1, median(runs.map((r) => r.replayMs - r.openMs)))),
          p50Ns: 0,
          p99Ns: 0,
          samples: runs.length,
          readyMs: round(ready),
          readyRunsMs: runs.map((r) => round(r.readyMs)).join(' / '),
          openMs: round(median(runs.map((r) => r.openMs))),
          readMs: round(median(runs.map((r) => r.readMs - r.openMs))),
          replayMs: round(median(runs.map((r) => r.replayMs - r.openMs))),
          servingMs: round(median(runs.map((r) => r.readyMs - r.replayMs))),
          cpuMs: round(median(runs.map((r) => r.cpuMs))),
          replayedRecords: median(runs.map((r) => r.replayed)),
          backlogWhenReady: median(runs.map((r) => r.backlog)),
          fromSnapshots: median(runs.map((r) => r.fromSnapshots)),
          fillCommands: f.commands,
          fillSeconds: Math.round(f.seconds * 10) / 10,
          fillSnapshots: f.snapshots,
          ...(p ? { peerMs: round(p.ms), peerRecordsPerSec: round((p.records * 1_000) / p.ms), readyOverPeer: Math.round((ready / p.ms) * 100) / 100 } : {}),
          goal: snapshots ? 'RTO < 30 s' : '10M records after a snapshot < 10 s',
        });
      }
    } finally {
      if (keep) console.error(`recovery: data directories kept in ${root}`);
      else rmSync(root, { recursive: true, force: true });
    }
    return results;
  },
};

export default suite;
