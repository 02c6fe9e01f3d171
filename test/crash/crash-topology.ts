// The exchange the crash tests run: two markets on two market shards, two risk shards, and the
// configuration recorded in the data directory's meta.

import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';

export const crashTopology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 2 });
export const crashRiskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
export const crashConfig = { topology: crashTopology.config, riskMarkets: crashRiskMarkets };
