// What the gateway needs of an exchange: the threaded exchange's gateway side (a test may stand in).

import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';

// shardStates (optional): the shards' state for the read models and books after a restart (exchange/shard-states.ts).
export type GatewayExchange = Pick<ThreadedExchange, 'topology' | 'offer' | 'flush' | 'poll' | 'waitForOutput' | 'halted'> & Partial<Pick<ThreadedExchange, 'shardStates'>>;
