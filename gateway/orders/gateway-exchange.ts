// What the gateway needs of an exchange: the threaded exchange's gateway side (a test may stand in).

import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';

export type GatewayExchange = Pick<ThreadedExchange, 'topology' | 'offer' | 'flush' | 'poll' | 'waitForOutput' | 'halted'>;
