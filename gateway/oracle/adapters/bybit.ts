// Bybit V5 tickers (`GET /v5/market/tickers?category=spot&symbol=BTCUSDT`): `retCode` 0 on success,
// `result.list[0]` with `lastPrice`, `bid1Price`, `ask1Price`; `time` (ms) is the server's time of the
// answer, the only timestamp the format has.

import { IndexVenue } from '../../../engine/enums.js';
import { arr, BadBodyError, msToUs, obj, text, type VenueAdapter, type VenueQuote } from '../venue-quote.js';

const NAME = 'bybit';

export const bybit: VenueAdapter = {
  name: NAME,
  venueId: IndexVenue.BYBIT,
  defaultBaseUrl: 'https://api.bybit.com',
  path: (symbol) => `/v5/market/tickers?category=spot&symbol=${encodeURIComponent(symbol)}`,
  parse(body: unknown): VenueQuote {
    const b = obj(body, NAME, 'body');
    if (b.retCode !== 0) throw new BadBodyError(NAME, `retCode ${String(b.retCode)}: ${String(b.retMsg)}`);
    const t = obj(arr(obj(b.result, NAME, 'result').list, NAME, 'result.list')[0], NAME, 'result.list[0]');
    return { bid: text(t.bid1Price, NAME, 'bid1Price'), ask: text(t.ask1Price, NAME, 'ask1Price'), last: text(t.lastPrice, NAME, 'lastPrice'), venueTimeUs: msToUs(b.time, NAME, 'time') };
  },
};
