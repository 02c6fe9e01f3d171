// Runs the seeded durable script through the durable threaded exchange with a snapshot policy, in slices,
// letting the snapshotter store a snapshot after each slice (a condition, not a time), for the snapshot
// tests of recovery and of the restore tool.

import assert from 'node:assert/strict';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { Durability } from '../../exchange/durability.js';
import type { SnapshotPolicy } from '../../exchange/snapshots/snapshot-policy.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import type { durableScript } from './durable-script.js';
import { offerWaiting } from '../support/offer.js';

export const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
export const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 2 });
export const config = { topology: topology.config, riskMarkets };

/** Runs the commands in slices, letting the snapshotter store at least one snapshot per shard after each slice. */
export async function runWithSnapshots(dir: string, cmds: ReturnType<typeof durableScript>, snapshots: SnapshotPolicy, log: (l: string) => void = (l) => void (process.env.DEBUGLOG && console.log(l))): Promise<{ hashes: bigint[]; taken: number; backlog: number[] }> {
  const durability = await Durability.open({ dir, log, snapshots }, topology, config);
  const ex = await ThreadedExchange.start({ topology, riskMarkets, durability, ringCapacity: 1024 });
  const buf = RecordBuffer.allocate(1);
  const drain = async () => {
    ex.flush();
    for (let idle = 0; idle < 10; ) {
      await ex.waitForOutput(5);
      idle = ex.poll(() => {}) === 0 ? idle + 1 : 0;
    }
  };
  try {
    for (let from = 0; from < cmds.length; from += 100) {
      for (const c of cmds.slice(from, from + 100)) {
        encodeRecord(buf, 0, c.layout, c.header, c.body);
        await offerWaiting(ex, buf);
      }
      await drain();
      // A condition, not a time: every shard has a snapshot covering what it had durable after this slice.
      const before = durability.snapshotter!.taken.length;
      for (let i = 0; i < 400 && durability.snapshotter!.taken.length === before; i++) await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    const h = await ex.stop();
    ex.poll(() => {});
    assert.equal(ex.failure, undefined);
    assert.equal(durability.snapshotter!.failure, undefined);
    return { hashes: [...h.market, ...h.risk].map((x) => x!), taken: durability.snapshotter!.taken.length, backlog: durability.replayBacklog() };
  }
}

