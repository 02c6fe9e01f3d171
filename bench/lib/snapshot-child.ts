// Child process of the snapshot suite:
//   node --max-old-space-size=8192 --expose-gc snapshot-child.js <market|risk> <count> <runs>
// Builds one large shard (snapshot-state.ts), then times, `runs` times each: encodeState(), stateHash()
// alone, and MessagePack (@msgpack/msgpack) encode and decode of the same content as plain objects. Then
// it lets the shard go (as a restarted process has only the snapshot) and times decode with the state
// hash checked (the default) and without. Prints one JSON line of per-run milliseconds (wall and CPU). A
// process per shard kind, so the other shard's heap does not slow this one's garbage collector.

import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import { MarketShard } from '../../engine/shard/market-shard.js';
import { readSnapshotStreams } from '../../engine/snapshot/shard-streams.js';
import { EncodeBuffer } from '../../engine/snapshot/snapshot-writer.js';
import { RiskShard } from '../../risk/shard/risk-shard.js';
import { DiscardOutput } from './discard-output.js';
import { buildMarketShard, buildRiskShard, SNAPSHOT_BTC } from './snapshot-state.js';

export interface Timing {
  wallMs: number[];
  cpuMs: number[];
}

export interface SnapshotChildReport {
  kind: 'market' | 'risk';
  count: number;
  bytes: number;
  msgpackBytes: number;
  rankingJobs: number;
  encode: Timing;
  decode: Timing;
  decodeUnverified: Timing;
  hash: Timing;
  msgpackEncode: Timing;
  msgpackDecode: Timing;
}

function timed(into: Timing, fn: () => void): void {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  into.wallMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  const c = process.cpuUsage(c0);
  into.cpuMs.push((c.user + c.system) / 1e3);
}

const timing = (): Timing => ({ wallMs: [], cpuMs: [] });

const [kind = '', countText = '', runsText = ''] = process.argv.slice(2);
const count = Number(countText);
const runs = Number(runsText);
if ((kind !== 'market' && kind !== 'risk') || !Number.isSafeInteger(count) || count <= 0 || !Number.isSafeInteger(runs) || runs <= 0) {
  console.error('usage: snapshot-child.js <market|risk> <count> <runs>');
  process.exit(2);
}

let market = kind === 'market' ? buildMarketShard(count) : undefined;
let risk = kind === 'risk' ? buildRiskShard(count) : undefined;
const decode = (bytes: Uint8Array, verifyHash: boolean): unknown => {
  const { streams } = readSnapshotStreams(bytes);
  const gateway = new DiscardOutput(streams.gatewayNextSeq);
  const outputs = streams.outputNextSeqs.map((seq) => new DiscardOutput(seq));
  return kind === 'market' ? MarketShard.decode(bytes, gateway, outputs, { verifyHash }) : RiskShard.decode(bytes, gateway, outputs, { verifyHash });
};
// The same content as plain objects, for the generic peer.
const plain = (): unknown =>
  market !== undefined
    ? market.book(SNAPSHOT_BTC)!.orders()
    : [...risk!.state.accounts.values()].map((a) => ({
        id: a.id,
        wallet: a.walletN,
        feeTier: a.feeTier,
        requests: [...a.appliedRequests],
        positions: [...a.positions.values()].map((q) => ({
          marketId: q.marketId,
          qty: q.qtyN,
          cost: q.entryCostN,
          pnl: q.realizedPnlN,
          iso: q.isolatedMarginN,
          om: q.orderMarginN,
          lev: q.leverageN,
          mode: q.marginMode,
          lp: q.derived.liquidationPriceN,
          bp: q.derived.bankruptcyPriceN,
          upnl: q.derived.unrealizedPnlN,
          tier: q.derived.tier,
          quintile: q.derived.adlQuintile,
          orders: [...q.orders.values()].map((o) => ({ id: o.orderId, side: o.side, price: o.priceN, rem: o.remainingN })),
        })),
      }));

const report: SnapshotChildReport = {
  kind,
  count,
  bytes: 0,
  msgpackBytes: 0,
  rankingJobs: risk?.parts.quintiles.jobsUnderWay ?? 0,
  encode: timing(),
  decode: timing(),
  decodeUnverified: timing(),
  hash: timing(),
  msgpackEncode: timing(),
  msgpackDecode: timing(),
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const shard = (market ?? risk)!;
// As the snapshotter's replica takes snapshots: into one buffer kept from one to the next (EncodeBuffer).
const into = new EncodeBuffer();
let bytes = shard.encodeState(into);
for (let r = 0; r < runs; r++) {
  timed(report.encode, () => void (bytes = shard.encodeState(into)));
  timed(report.hash, () => void shard.stateHash());
}
report.bytes = bytes.length;
{
  let packed = msgpackEncode(plain());
  for (let r = 0; r < runs; r++) {
    const p = plain();
    timed(report.msgpackEncode, () => void (packed = msgpackEncode(p)));
    timed(report.msgpackDecode, () => void msgpackDecode(packed));
  }
  report.msgpackBytes = packed.length;
}
// A restarted process holds the snapshot and nothing else: the shard goes before decoding.
market = undefined;
risk = undefined;
gc();
for (let r = 0; r < runs; r++) {
  gc();
  timed(report.decode, () => void decode(bytes, true));
  gc();
  timed(report.decodeUnverified, () => void decode(bytes, false));
}
console.log(JSON.stringify(report));
