// What every benchmark suite shares: the environment line (Node, CPU, commit), the result shape printed
// as a table or as JSON lines, and the conversion from a tinybench task. A suite is a module under
// bench/suites/ whose default export runs it and returns its cases; `npm run bench -- <suite> --json`
// prints one JSON object per case.

import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { Task } from 'tinybench';

export interface BenchEnv {
  node: string;
  cpu: string;
  cores: number;
  memGiB: number;
  commit: string;
  date: string;
}

export interface CaseResult {
  suite: string;
  case: string;
  /** Operations per second: records, orders, fills... as the case says. */
  opsPerSec: number;
  /** Latency of one operation (or one call, as the case says), median and 99th percentile, ns. */
  p50Ns: number;
  p99Ns: number;
  /** How many measurements the figures rest on. */
  samples: number;
  /** Anything else the case measures (ratios, bytes per order, CPU share). */
  [extra: string]: string | number | boolean | undefined;
}

export interface SuiteContext {
  /** Print JSON lines rather than a table. */
  json: boolean;
  /** Shorter runs (CI, smoke checks): same cases, fewer iterations. */
  quick: boolean;
  /** Arguments after the suite names, for suite-specific options. */
  args: string[];
}

export interface Suite {
  description: string;
  run(ctx: SuiteContext): Promise<CaseResult[]>;
}

let cachedEnv: BenchEnv | undefined;
export function benchEnv(): BenchEnv {
  if (cachedEnv) return cachedEnv;
  let commit = process.env.PERPX_COMMIT ?? 'unknown';
  if (commit === 'unknown') {
    try {
      commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (dirty) commit += '-dirty';
    } catch {
      // not a git checkout: leave "unknown"
    }
  }
  const c = cpus();
  cachedEnv = {
    node: process.version,
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    commit,
    date: new Date().toISOString(),
  };
  return cachedEnv;
}

/**
 * A finished tinybench task as a CaseResult. opsPerCall: how many operations one call of the task
 * function performs (a batch), so opsPerSec counts operations and p50/p99 are per call.
 */
export function fromTask(suite: string, task: Task, opsPerCall = 1, extra: Record<string, string | number | boolean> = {}): CaseResult {
  const r = task.result;
  if (r.state !== 'completed') throw new Error(`${suite}/${task.name}: task ${r.state}${'error' in r ? `: ${String(r.error)}` : ''}`);
  return {
    suite,
    case: task.name,
    opsPerSec: Math.round((1e3 / r.latency.mean) * opsPerCall),
    p50Ns: Math.round(r.latency.p50 * 1e6),
    p99Ns: Math.round(r.latency.p99 * 1e6),
    samples: r.latency.samplesCount,
    ...extra,
  };
}

/**
 * Timed samples (milliseconds per call) as a CaseResult: opsPerSec from the median call, p50/p99 per call.
 * opsPerCall: how many operations one call performs.
 */
export function fromSamples(suite: string, name: string, samplesMs: number[], opsPerCall = 1, extra: Record<string, string | number | boolean> = {}): CaseResult {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const p50 = median(samplesMs);
  return {
    suite,
    case: name,
    opsPerSec: Math.round(opsPerCall / (p50 / 1000)),
    p50Ns: Math.round(p50 * 1e6),
    p99Ns: Math.round(percentile(sorted, 99) * 1e6),
    samples: samplesMs.length,
    ...extra,
  };
}

/** Percentile of an ascending array of numbers (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return percentile(s, 50);
}

export function printResults(results: CaseResult[], json: boolean): void {
  const env = benchEnv();
  if (json) {
    for (const r of results) console.log(JSON.stringify({ ...r, node: env.node, cpu: env.cpu, commit: env.commit }));
    return;
  }
  const rows = results.map((r) => {
    const extra = Object.entries(r)
      .filter(([k]) => !['suite', 'case', 'opsPerSec', 'p50Ns', 'p99Ns', 'samples'].includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return [r.suite, r.case, r.opsPerSec.toLocaleString('en-US'), r.p50Ns.toLocaleString('en-US'), r.p99Ns.toLocaleString('en-US'), String(r.samples), extra];
  });
  const head = ['suite', 'case', 'ops/s', 'p50 ns', 'p99 ns', 'samples', 'notes'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
}

/** A suite option the suite cannot take: bench/run.ts prints its message on one line and exits 2. */
export class SuiteOptionError extends Error {}

/** A suite option `--name N` (after `--`): a positive safe integer, else `fallback` when absent; anything else is refused. */
export function intOption(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v <= 0) throw new SuiteOptionError(`${name} needs a positive integer, got ${i >= 0 ? JSON.stringify(args[i + 1] ?? '') : fallback}`);
  return v;
}
