// The demo's seeded order flow over both default markets (8 market makers quoting 40-rung post-only
// ladders, 64 takers): what the pipeline, durable-ack, journal and mqtt-matching suites drive, so their
// figures are of one flow.

import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { OrderFlow } from '../../engine/sim/order-flow.js';

export function demoFlow(seed = 1): OrderFlow {
  return new OrderFlow({
    markets: [
      { market: DEFAULT_MARKETS[0]!, startMidTicks: 600_000, rungTicks: 5, maxTakerLots: 50, maxQuoteLots: 200 },
      { market: DEFAULT_MARKETS[1]!, startMidTicks: 300_000, rungTicks: 5, maxTakerLots: 500, maxQuoteLots: 2_000 },
    ],
    seed,
    firstAccountId: 1,
    makers: 8,
    takers: 64,
    quotesPerMaker: 40,
    mix: { quote: 62, cancel: 30, taker: 8 },
    firstOrderId: 1,
  });
}
