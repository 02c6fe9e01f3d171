// The exchange under test in the crash harness: a child process that runs the durable threaded exchange
// on a data directory and takes client operations over its IPC channel, not through the trader gateway
// (test/gateway/gateway-crash.test.ts kills a gateway process at random instants under a WebSocket
// client; the named points and the invariant checks are this harness's only).
//
//   parent ──{ops}──▶ child: offer (retrying while back-pressured) ──▶ exchange
//   parent ◀─{acks}── child: released gateway records (acknowledge after durable) read by acks.ts
//
// On start it first proves recovery (unless PERPX_CRASH_PROVE=0): it recovers, stops and compares every
// shard's hash with a clean replay of that shard's journal ({recovered}); then it recovers again and
// serves ({ready}).
// PERPX_CRASH_AT=liquidation|adl kills it with SIGKILL when the gateway sees that event; journal-write and
// snapshot are the journal writer's own points (persistence/crash-points.ts). It takes snapshots (and
// recovers from them) throughout. {stop} stops it cleanly ({stopped}).
//
// Read models after the restart (views-check.ts): as a gateway does, it polls through the gateway's
// Dispatcher and loads read models and books from the shards' state (shardStates) while operations keep
// arriving; at a clean stop, once the exchange is quiet, it compares them with a fresh copy ({views}).

import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { Durability } from '../../exchange/durability.js';
import { replayShard } from '../../exchange/journal-replay.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import type { SnapshotPolicy } from '../../exchange/snapshots/snapshot-policy.js';
import { crashPointHook } from '../../persistence/crash-points.js';
import { ackOf } from './acks.js';
import { opCommand, type Op } from './crash-ops.js';
import { crashConfig, crashRiskMarkets, crashTopology } from './crash-topology.js';
import { Dispatcher } from '../../gateway/dispatch.js';
import { RestoredViews } from './views-check.js';

const dir = process.argv[2]!;
// Snapshots often (the crash point "snapshot" needs some), the journal kept whole so that clean replays
// from position 0 stay possible: recovery itself starts from the snapshots.
const snapshots: SnapshotPolicy = { everyRecords: 150, everyMs: 100, keep: 2, keepJournal: true };
const send = (m: object) => process.send!(m);
const quiet = () => {};
const topology = crashTopology;
const riskMarkets = crashRiskMarkets;

/**
 * Recovers, lets re-delivered records be consumed, stops, and compares each shard's hash with a clean
 * replay of its journal as it now stands (re-delivery may have added inputs past the old cut).
 */
async function proveRecovery(): Promise<void> {
  const ex = await ThreadedExchange.start({ topology, riskMarkets, durability: await Durability.open({ dir, log: quiet, snapshots }, topology, crashConfig) });
  for (let idle = 0; idle < 10; ) {
    await ex.waitForOutput(2);
    idle = ex.poll(() => {}) === 0 ? idle + 1 : 0;
  }
  const h = await ex.stop();
  const recovered = [...h.market, ...h.risk].map((x) => x?.toString(16) ?? 'failed');
  const d = await Durability.open({ dir, log: quiet, fromSnapshots: false }, topology, crashConfig);
  const clean = d.logs.map((log) => replayShard({ topology, riskMarkets }, log).stateHash().toString(16));
  send({ type: 'recovered', clean, recovered, records: d.logs.map((l) => l.count) });
}

if (process.env.PERPX_CRASH_PROVE !== '0') await proveRecovery();
const ex = await ThreadedExchange.start({ topology, riskMarkets, durability: await Durability.open({ dir, log: quiet, snapshots }, topology, crashConfig), ringCapacity: 1024 });
const crash = crashPointHook();
const dispatcher = new Dispatcher(ex, () => {});
let onRecord: (b: RecordBuffer, at: number) => void = () => {};
dispatcher.add((b, at) => onRecord(b, at));
const views = new RestoredViews();
dispatcher.add(views);
dispatcher.beginRestore();
const loaded = ex.shardStates().then((s) => dispatcher.finishRestore(s));
const queue: Op[] = [];
let stopping = false;
const buf = RecordBuffer.allocate(1);
process.on('message', (m: { type: string; ops?: Op[] }) => {
  if (m.type === 'ops') queue.push(...m.ops!);
  else if (m.type === 'stop') stopping = true;
});
send({ type: 'ready' });

let idle = 0;
for (;;) {
  let offered = 0;
  while (queue.length > 0) {
    const c = opCommand(queue[0]!);
    encodeRecord(buf, 0, c.layout, c.header, c.body);
    if (!ex.offer(buf, 0)) break;
    queue.shift();
    offered++;
  }
  ex.flush();
  const acks: [string, number][] = [];
  onRecord = (b, at) => {
    const t = b.type(at);
    if (crash && t === RecordType.LiquidationProgressed) crash('liquidation');
    if (crash && t === RecordType.AdlExecuted) crash('adl');
    const a = ackOf(b, at);
    if (a) acks.push(a);
  };
  const n = dispatcher.pollOnce();
  if (acks.length > 0) send({ type: 'acks', acks });
  if (ex.failure) {
    send({ type: 'failed', message: ex.failure.message });
    process.exit(1);
  }
  idle = n === 0 && offered === 0 ? idle + 1 : 0;
  if (stopping && queue.length === 0 && idle > 20 && ex.drained()) break;
  await ex.waitForOutput(idle > 0 ? 5 : 1);
}
// Quiet: everything offered is handled and released. The read models kept since the restart must equal
// what a fresh copy of the shards' state gives.
await loaded;
while (dispatcher.pollOnce() > 0 || !ex.drained()) await ex.waitForOutput(5);
send({ type: 'views', mismatches: views.compare(await ex.shardStates()) });
const acks: [string, number][] = [];
const collect = (b: RecordBuffer, at: number) => {
  const a = ackOf(b, at);
  if (a) acks.push(a);
};
const h = await ex.stop(collect);
ex.poll(collect);
if (acks.length > 0) send({ type: 'acks', acks });
send({ type: 'stopped', hashes: [...h.market, ...h.risk].map((x) => x?.toString(16) ?? 'failed') });
process.disconnect();
