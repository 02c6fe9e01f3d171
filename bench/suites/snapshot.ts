// snapshot: encode and decode a market shard holding 1,000,000 resting orders and a risk shard holding
// 1,000,000 accounts (100,000 each with --quick), against MessagePack (the user's @msgpack/msgpack) of
// the same content as plain objects, in the same run. The goal (docs/SNAPSHOTS.md, issue #9): both
// shards encoded and decoded in well under a second in total.
//
//   state     bench/lib/snapshot-state.ts (a busy book; a risk shard with its triggers, heaps and an ADL
//             ranking job under way)
//   encode    encodeState(): every section, the CRC, and the state hash the header carries; into one
//             buffer kept between encodes, as the snapshotter's replica takes them (since risksnap5:
//             figures from before include a fresh buffer's full collection, docs/SNAPSHOTS.md)
//   decode    static decode(): checks, rebuild, and the decoded state's hash recomputed and compared; in a
//             process that holds only the snapshot (the original shard dropped first), as on a restart
//   decode, hash not checked    the same with { verifyHash: false }
//   state hash                  stateHash() alone (inside encode and the checked decode)
//   peer      @msgpack/msgpack encode and decode of the same orders or accounts as plain objects: no
//             validation, no rebuild, so a lower bound of what a generic format costs
// Each shard kind is measured in a child process of its own with an 8 GiB heap (bench/lib/
// snapshot-child.ts): a million accounts are about 0.9 GB of objects, and the original and a decoded copy
// live at once. Reported: wall-clock and CPU milliseconds (median over the runs; p99 is the worst run),
// bytes per order or account, and our time over the peer's. Options after `--`: --orders <n>
// --accounts <n> --runs <n>.

import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { intOption, median, type CaseResult, type Suite } from '../harness.js';
import type { SnapshotChildReport, Timing } from '../lib/snapshot-child.js';

const SUITE = 'snapshot';
const GOAL_MS = 1_000;
const child = fileURLToPath(new URL('../lib/snapshot-child.js', import.meta.url));

function measure(kind: 'market' | 'risk', count: number, runs: number): SnapshotChildReport {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', '--expose-gc', child, kind, String(count), String(runs)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return JSON.parse(out) as SnapshotChildReport;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

const suite: Suite = {
  description: 'encode/decode a market shard of 1M resting orders and a risk shard of 1M accounts, vs msgpack of the same content',
  async run(ctx) {
    const runs = intOption(ctx.args, '--runs', ctx.quick ? 3 : 5);
    const results: CaseResult[] = [];
    let wall = 0;
    let cpu = 0;
    for (const [kind, count] of [
      ['market', intOption(ctx.args, '--orders', ctx.quick ? 100_000 : 1_000_000)],
      ['risk', intOption(ctx.args, '--accounts', ctx.quick ? 100_000 : 1_000_000)],
    ] as const) {
      const r = measure(kind, count, runs);
      const unit = kind === 'market' ? 'orders' : 'accounts';
      const row = (what: string, t: Timing, extra: Record<string, string | number> = {}): CaseResult => ({
        suite: SUITE,
        case: `${kind} shard, ${count.toLocaleString('en-US')} ${unit}: ${what}`,
        opsPerSec: Math.round(count / (median(t.wallMs) / 1000)),
        p50Ns: Math.round(median(t.wallMs) * 1e6),
        p99Ns: Math.round(Math.max(...t.wallMs) * 1e6),
        samples: t.wallMs.length,
        wallMs: round(median(t.wallMs)),
        cpuMs: round(median(t.cpuMs)),
        ...extra,
      });
      wall += median(r.encode.wallMs) + median(r.decode.wallMs);
      cpu += median(r.encode.cpuMs) + median(r.decode.cpuMs);
      results.push(
        row('encode', r.encode, { bytes: r.bytes, bytesPerItem: round(r.bytes / count), overMsgpack: round(median(r.encode.wallMs) / median(r.msgpackEncode.wallMs)), rankingJobs: r.rankingJobs }),
        row('decode', r.decode, { overMsgpack: round(median(r.decode.wallMs) / median(r.msgpackDecode.wallMs)) }),
        row('decode, hash not checked', r.decodeUnverified),
        row('state hash (inside encode and decode)', r.hash),
        row('msgpack encode (peer)', r.msgpackEncode, { bytes: r.msgpackBytes }),
        row('msgpack decode (peer)', r.msgpackDecode),
      );
    }
    results.push({ suite: SUITE, case: 'both shards: encode + decode (medians summed)', opsPerSec: 0, p50Ns: Math.round(wall * 1e6), p99Ns: 0, samples: runs, wallMs: Math.round(wall), cpuMs: Math.round(cpu), goalMs: GOAL_MS, loadAverage: round(loadavg()[0]!) });
    return results;
  },
};

export default suite;
