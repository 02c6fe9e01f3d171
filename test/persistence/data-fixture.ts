// A data directory written by the durable threaded exchange, for tests of recovery, corruption and the
// restore tool: the seeded durable script sent through two market shards and two risk shards, stopped
// cleanly, so every record is inside the cut.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { Durability } from '../../exchange/durability.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { durableScript } from '../exchange/durable-script.js';
import { offerWaiting } from '../support/offer.js';

export const fixtureTopology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 2 });
export const fixtureRiskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
export const fixtureConfig = { topology: fixtureTopology.config, riskMarkets: fixtureRiskMarkets };

/**
 * Writes `commands` commands of the durable script into a fresh directory; returns it and the final hashes.
 * On the fixture's topology, or another one over the default markets (`npm start`'s: Topology.spread).
 */
export async function writeDataDir(seed: number, commands: number, dir = mkdtempSync(join(tmpdir(), 'perpx-data-')), topology = fixtureTopology): Promise<{ dir: string; hashes: bigint[] }> {
  const d = await Durability.open({ dir, log: () => {} }, topology, { topology: topology.config, riskMarkets: fixtureRiskMarkets });
  const ex = await ThreadedExchange.start({ topology, riskMarkets: fixtureRiskMarkets, durability: d, ringCapacity: 1024 });
  const buf = RecordBuffer.allocate(1);
  for (const c of durableScript(seed, 0, commands)) {
    encodeRecord(buf, 0, c.layout, c.header, c.body);
    await offerWaiting(ex, buf);
  }
  ex.flush();
  for (let idle = 0; idle < 20; ) {
    await ex.waitForOutput(5);
    idle = ex.poll(() => {}) === 0 ? idle + 1 : 0;
  }
  const h = await ex.stop();
  if (ex.failure) throw ex.failure;
  return { dir, hashes: [...h.market, ...h.risk].map((x) => x!) };
}
