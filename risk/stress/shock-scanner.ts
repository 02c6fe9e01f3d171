// ShockScanner: the what-if scan of every risk shard's positions under a list of price shocks, spread over
// a piscina pool of worker threads. An operator (or the status line of `npm start`) asks "if every mark
// fell 25% now, how many scopes would be liquidatable, how many bankrupt, and how much would the
// insurance fund have to absorb?". The scan is embarrassingly parallel (scopes are independent, tallies
// merge exactly: shock-scan.ts), long (every position × every shock, in exact integers), and must never
// run on a shard thread, which has orders to match. That is the shape piscina is for: a pool of generic
// workers fed independent tasks, with a queue, idle shutdown and no hand-written worker bookkeeping.
//
//   risk shard threads ──ScanSnapshot (SharedArrayBuffer)──▶ ShockScanner.scan
//        ──slices of CHUNK scopes──▶ piscina pool (scan-task.ts) ──tallies──▶ merged per shock ──▶ ShockReport
//
// Results do not depend on the pool size or the chunking (tallies are sums and a tie-broken maximum).

import { Piscina } from 'piscina';
import { availableParallelism } from 'node:os';
import type { ScanSnapshot } from './scan-snapshot.js';
import { emptyTally, mergeTally, scanScopes, type Shock, type ShockTally } from './shock-scan.js';
import type { ScanTask } from './scan-task.js';

export interface ShockOutcome extends ShockTally {
  readonly shock: Shock;
  /** Σ of the shards' insurance-fund partitions at the snapshots. */
  readonly insuranceFundAtoms: bigint;
  /**
   * What the fund could not cover, shard by shard (each shard's partition pays its own scopes): the
   * deficit less Σ min(partition, Σ min(deficit, per-event cap)). ADL's share, were it all to happen at once.
   */
  readonly uncoveredAtoms: bigint;
}

export interface ShockReport {
  readonly outcomes: readonly ShockOutcome[];
  readonly scopes: number;
  readonly positions: number;
  readonly unmarkedScopes: number;
}

export interface ShockScannerOptions {
  /** Pool threads (default: one per core, at most 4). */
  threads?: number;
  /** Scopes per task (default 50,000): small enough to spread, large enough to amortise a task. */
  chunkScopes?: number;
  /** Idle pool threads exit after this many ms (default 5,000): an idle exchange keeps no scan thread. */
  idleTimeoutMs?: number;
}

export class ShockScanner {
  private readonly pool: Piscina<ScanTask, ShockTally[]>;
  private readonly chunk: number;

  constructor(o: ShockScannerOptions = {}) {
    const threads = o.threads ?? Math.min(4, availableParallelism());
    this.chunk = o.chunkScopes ?? 50_000;
    if (!Number.isSafeInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
    if (!Number.isSafeInteger(this.chunk) || this.chunk < 1) throw new RangeError('chunkScopes must be a positive integer');
    this.pool = new Piscina({
      filename: new URL('./scan-task.js', import.meta.url).href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: o.idleTimeoutMs ?? 5_000,
    });
  }

  get threads(): number {
    return this.pool.options.maxThreads;
  }

  /** Scans every snapshot under every shock on the pool. */
  async scan(snapshots: readonly ScanSnapshot[], shocks: readonly Shock[]): Promise<ShockReport> {
    const perShard = snapshots.map((snapshot) => {
      const jobs: Promise<ShockTally[]>[] = [];
      for (let from = 0; from < snapshot.scopeCount; from += this.chunk) {
        jobs.push(this.pool.run({ snapshot, shocks, from, to: Math.min(snapshot.scopeCount, from + this.chunk) }));
      }
      return Promise.all(jobs).then((parts) => mergeParts(shocks, parts));
    });
    return report(snapshots, shocks, await Promise.all(perShard));
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/** The same scan on the calling thread (tests, and the single-thread case of the benchmark). */
export function scanInThread(snapshots: readonly ScanSnapshot[], shocks: readonly Shock[]): ShockReport {
  return report(
    snapshots,
    shocks,
    snapshots.map((s) => scanScopes(s, shocks)),
  );
}

function mergeParts(shocks: readonly Shock[], parts: readonly ShockTally[][]): ShockTally[] {
  const merged = shocks.map(emptyTally);
  for (const part of parts) for (let k = 0; k < shocks.length; k++) mergeTally(merged[k]!, part[k]!);
  return merged;
}

/** byShard[i]: the tallies of snapshots[i], one per shock. */
function report(snapshots: readonly ScanSnapshot[], shocks: readonly Shock[], byShard: readonly ShockTally[][]): ShockReport {
  const merged = mergeParts(shocks, byShard);
  const covered = shocks.map((_, k) =>
    byShard.reduce((sum, tallies, i) => {
      const fund = snapshots[i]!.insuranceFundAtoms;
      const payable = tallies[k]!.cappedDeficitAtoms;
      return sum + (payable < fund ? payable : fund);
    }, 0n),
  );
  let fund = 0n;
  let scopes = 0;
  let positions = 0;
  let unmarkedScopes = 0;
  for (const s of snapshots) {
    fund += s.insuranceFundAtoms;
    scopes += s.scopeCount;
    positions += s.positionCount;
    unmarkedScopes += s.unmarkedScopes;
  }
  const outcomes = merged.map((t, k) => ({ ...t, shock: shocks[k]!, insuranceFundAtoms: fund, uncoveredAtoms: t.deficitAtoms - covered[k]! }));
  return { outcomes, scopes, positions, unmarkedScopes };
}
