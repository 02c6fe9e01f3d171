// The risk shard's snapshot codec, one build per process, for before/after runs of a codec change: the
// snapshot suite's risk state (bench/lib/snapshot-state.ts) of <accounts> accounts, and `runs` timings of
// one step in process CPU time (all threads: the garbage collector's helpers count), the main thread's CPU
// time (Linux, /proc/thread-self: what the decoding thread itself spent; 10 ms ticks) and wall time.
//
//   node --max-old-space-size=8192 --expose-gc tools/risk-snapshot-ab.mjs <dist> <step> <accounts> [runs=3]
//
//   encode    builds the state, encodes it `runs` times; the first build to run writes the snapshot to
//             $TMPDIR/risk-snapshot-<accounts>-v<format version>.bin, every later one must encode exactly
//             those sections (the header's version and state hash differ between format versions: a
//             build before risksnap8 writes version 1, a later one version 2; both files are kept)
//   encodeR   the same, into one EncodeBuffer kept from encode to encode, as the snapshotter's replica does
//             (a build without EncodeBuffer encodes into fresh buffers: then the same as encode)
//   encodeS   encodeR without the full collection the tool otherwise runs before each timing: the
//             snapshotter's worker runs none, so what an encode allocates outside the heap adds up from
//             one snapshot to the next and can start a full marking of the heap during one (risksnap6)
//   decode    decodes the file of the version the build writes `runs` times, state hash checked; decodeU:
//             not checked
//
// Alternate the builds (old, new, old, new: `git worktree add` the old one, tsc it) and compare medians;
// a process per step, so one step's heap does not slow the next one's collector. Prints one JSON line.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, step, countText, runsText = '3'] = process.argv.slice(2);
const accounts = Number(countText);
const runs = Number(runsText);
if (!dist || !['encode', 'encodeR', 'encodeS', 'decode', 'decodeU'].includes(step) || !(accounts > 0) || !(runs > 0)) {
  throw new Error('usage: node --expose-gc tools/risk-snapshot-ab.mjs <dist> <encode|encodeR|encodeS|decode|decodeU> <accounts> [runs]');
}
const r = pathToFileURL(resolve(dist)).href;
const { RiskShard } = await import(r + '/risk/shard/risk-shard.js');
const { readSnapshotStreams } = await import(r + '/engine/snapshot/shard-streams.js');
const { DiscardOutput } = await import(r + '/bench/lib/discard-output.js');
const format = await import(r + '/engine/snapshot/snapshot-format.js');
// The risk format version this build writes (kind 2); a build before risksnap8 had one FORMAT_VERSION.
const version = format.formatVersion !== undefined ? format.formatVersion(2) : format.FORMAT_VERSION;
const fileOf = (v) => join(tmpdir(), `risk-snapshot-${accounts}-v${v}.bin`);
const file = fileOf(version);
// The sections: what the versions share (the header and the CRC after them differ).
const sections = (b) => Buffer.from(b.buffer, b.byteOffset + 40, b.byteLength - 48);
const gc = step === 'encodeS' ? () => {} : (globalThis.gc ?? (() => {}));

let once;
if (step === 'encode' || step === 'encodeR' || step === 'encodeS') {
  const { buildRiskShard } = await import(r + '/bench/lib/snapshot-state.js');
  const { EncodeBuffer } = await import(r + '/engine/snapshot/snapshot-writer.js');
  const into = step !== 'encode' && EncodeBuffer !== undefined ? new EncodeBuffer() : undefined;
  const shard = buildRiskShard(accounts);
  const bytes = shard.encodeState(into);
  for (const v of [1, 2]) {
    if (!existsSync(fileOf(v))) continue;
    const other = new Uint8Array(readFileSync(fileOf(v)));
    if (v === version ? Buffer.compare(other, bytes) !== 0 : Buffer.compare(sections(other), sections(bytes)) !== 0) throw new Error(`${dist} encodes other bytes than ${fileOf(v)} holds`);
  }
  if (!existsSync(file)) writeFileSync(file, bytes);
  once = () => shard.encodeState(into);
} else {
  const bytes = new Uint8Array(readFileSync(file));
  const { streams } = readSnapshotStreams(bytes);
  once = () => RiskShard.decode(bytes, new DiscardOutput(streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new DiscardOutput(s)), { verifyHash: step === 'decode' });
}
// This thread's user + system CPU in ms (clock ticks of 10 ms), NaN where /proc is missing.
const threadMs = () => {
  try {
    const f = readFileSync('/proc/thread-self/stat', 'utf8');
    const t = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(t[11]) + Number(t[12])) * 10;
  } catch {
    return NaN;
  }
};
const cpuMs = [];
const mainMs = [];
const wallMs = [];
for (let k = 0; k < runs; k++) {
  gc();
  const c0 = process.cpuUsage();
  const m0 = threadMs();
  const t0 = process.hrtime.bigint();
  once();
  wallMs.push(Math.round(Number(process.hrtime.bigint() - t0) / 1e6));
  mainMs.push(threadMs() - m0);
  const c = process.cpuUsage(c0);
  cpuMs.push(Math.round((c.user + c.system) / 1e3));
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(JSON.stringify({ dist, step, accounts, cpuMs, mainMs, wallMs, cpuMedian: median(cpuMs), mainMedian: median(mainMs), wallMedian: median(wallMs) }));
