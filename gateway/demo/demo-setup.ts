// What the demo starts from: the markets' simulated index (start prices, rungs), how much a maker quotes
// and a taker takes at once, a small insurance fund (it pays for closing fills worse than bankruptcy;
// what the book cannot take goes to ADL, and before a swing the makers empty it: bots.ts, pull), the
// index swings, and the gateway's per-address rate limit raised for the bots, which all
// trade from 127.0.0.1.

import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { TopUpInsuranceFundLayout } from '../../engine/ring/layouts/top-up-insurance-fund.js';
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { OPERATOR_REQUEST_BASE } from '../operator/operator-commands.js';
import type { RateLimits } from '../server/rate-limiter.js';
import type { SimMarket } from './sim-index.js';

export const DEMO_SWING_PERMILLE = 90;
/** The demo's insurance fund, USDT, split over the risk shards' partitions. */
const DEMO_INSURANCE_USDT = 100n;
export const DEMO_RATE_LIMITS: RateLimits = { perKey: { capacity: 20_000, refillPerSecond: 10_000 }, perIp: { capacity: 400_000, refillPerSecond: 200_000 } };

export const demoFunds = {
  markets: [
    { market: DEFAULT_MARKETS[0]!, startTicks: 600_000, rungTicks: 5 },
    { market: DEFAULT_MARKETS[1]!, startTicks: 300_000, rungTicks: 5 },
  ] satisfies SimMarket[],
  maxLots: new Map([
    [DEFAULT_MARKETS[0]!.marketId, { quote: 200, take: 20 }],
    [DEFAULT_MARKETS[1]!.marketId, { quote: 2_000, take: 200 }],
  ]),
  /**
   * Tops up every risk shard's insurance fund partition (a top-up reaches the shard of its header's
   * account id, so account r tops up shard r). A restart repeats it and is refused DUPLICATE_REQUEST.
   */
  insurance(exchange: Pick<ThreadedExchange, 'offer' | 'flush'>, riskShards: number, timeUs: number): void {
    const buf = RecordBuffer.allocate(1);
    for (let r = 0; r < riskShards; r++) {
      encodeRecord(buf, 0, TopUpInsuranceFundLayout, { accountId: r, flags: HeaderFlag.OPERATOR, timeUs }, { requestId: OPERATOR_REQUEST_BASE + 1 + r, amountAtoms: (DEMO_INSURANCE_USDT / BigInt(riskShards)) * 1_000_000n });
      exchange.offer(buf, 0);
    }
    exchange.flush();
  },
};
