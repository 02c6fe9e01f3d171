// The exchange under test in the crash harness: `npm start` itself (gateway/main.ts, compiled by tsc) in
// a child process on a data directory, as an operator runs it: durable shards, the trader gateway on a
// free port, the operator HTTP server on another. The harness talks to it only as clients do (the
// WebSocket port, the operator HTTP port and the operator token the first start wrote), kills it with
// SIGKILL, or stops it with SIGTERM and reads the state hashes it logs on a clean stop.
//
// A named crash point is the child's environment (PERPX_CRASH_AT, PERPX_CRASH_SKIP:
// persistence/crash-points.ts), as is the broken build the loss test runs (PERPX_CRASH_BREAK).

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';

const MAIN = fileURLToPath(new URL('../../gateway/main.js', import.meta.url));
const RISK_SHARDS = 2;

/** The configuration npm start gives the data directory on this machine (main.ts: Topology.spread). */
export const crashTopology = Topology.spread(DEFAULT_MARKETS, availableParallelism(), RISK_SHARDS);
export const crashRiskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
export const crashConfig = { topology: crashTopology.config, riskMarkets: crashRiskMarkets };

/**
 * npm start's options here: free ports, no MQTT bus or stress scans, snapshots often (the crash point
 * "snapshot" needs some, and restarts recover from them) while the whole journal is kept (the retention
 * window reaches before the first snapshot), so a clean replay from position 0 stays possible.
 */
const ARGS = ['--port', '0', '--operator-port', '0', '--mqtt', 'none', '--stress-every', '0', '--risk-shards', String(RISK_SHARDS), '--snapshot-records', '150', '--snapshot-seconds', '1', '--snapshot-keep', '2', '--retain-window', '3650d', '--json-logs'];

export interface Endpoints {
  /** The trader gateway's WebSocket URL. */
  readonly ws: string;
  /** The operator HTTP server's base URL. */
  readonly http: string;
  /** The operator token the first start generated (DATA/operator/operators.json). */
  readonly token: string;
}

export type Exit = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

export class ExchangeProcess {
  readonly exited: Promise<Exit>;
  /** Resolves with the gateway's and the operator server's addresses once /readyz says ready. */
  readonly ready: Promise<Endpoints>;
  /** The state hashes the clean stop logs (market shards, then risk shards). */
  readonly stopped: Promise<string[]>;
  private exit: Exit | undefined;

  private constructor(
    private readonly proc: ChildProcess,
    dir: string,
  ) {
    this.exited = new Promise((res) =>
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        res(this.exit);
      }),
    );
    let ws: string | undefined;
    let http: string | undefined;
    let hashes: (h: string[]) => void;
    this.stopped = new Promise((res) => (hashes = res));
    const urls = new Promise<void>((res) => {
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        let m: { url?: string; msg?: string; market?: string[]; risk?: string[] };
        try {
          m = JSON.parse(line);
        } catch {
          return;
        }
        if (m.msg?.startsWith('operator HTTP on ')) http = m.url;
        if (m.msg?.startsWith('trader gateway on ')) ws = m.url;
        if (m.msg?.startsWith('stopped; state hashes')) hashes([...m.market!, ...m.risk!]);
        if (ws !== undefined && http !== undefined) res();
      });
    });
    const dead = this.exited.then((e) => Promise.reject(new Error(`the exchange exited (${e.code ?? e.signal}) before it was ready`)));
    this.ready = Promise.race([
      dead,
      urls.then(async () => {
        const token = (JSON.parse(readFileSync(join(dir, 'operator', 'operators.json'), 'utf8')) as { operators: { token: string }[] }).operators[0]!.token;
        // Ready once recovered, every worker attached and every risk shard holding a mark (main.ts).
        while ((await fetch(`${http}/readyz`).catch(() => undefined))?.status !== 200) {
          if (this.exit) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        return { ws: ws!, http: http!, token };
      }),
    ]);
    // Unhandled otherwise when the child dies first and nobody awaits ready any more.
    this.ready.catch(() => {});
  }

  /** Starts npm start's main on `dir` with extra environment variables (crash points). */
  static start(dir: string, env: Record<string, string> = {}): ExchangeProcess {
    const proc = spawn(process.execPath, [MAIN, '--data', dir, ...ARGS], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The generated token's notice goes to stderr; anything else there is the exchange's complaint.
    createInterface({ input: proc.stderr! }).on('line', (l) => {
      if (!l.startsWith('perpx: generated operator token') && !l.startsWith('perpx: try ')) console.error(`exchange: ${l}`);
    });
    return new ExchangeProcess(proc, dir);
  }

  /** How it ended, once it has (undefined while it runs). */
  get ended(): Exit | undefined {
    return this.exit;
  }

  /** kill -9, and waits for it to be gone. */
  async kill(): Promise<Exit> {
    if (this.exit === undefined) this.proc.kill('SIGKILL');
    return this.exited;
  }

  /** A clean stop (SIGTERM): resolves with the state hashes it logs; rejects if it exits without them. */
  async stop(): Promise<string[]> {
    this.proc.kill('SIGTERM');
    const e = await this.exited;
    if (e.code !== 0) throw new Error(`the exchange stopped with ${e.code ?? e.signal}`);
    return this.stopped;
  }
}
