// OKX ticker (`GET /api/v5/market/ticker?instId=BTC-USDT`): `code` "0" on success, `data[0]` with
// `last`, `bidPx`, `askPx` and `ts` (ms as a string).

import { IndexVenue } from '../../../engine/enums.js';
import { arr, BadBodyError, msToUs, obj, text, type VenueAdapter, type VenueQuote } from '../venue-quote.js';

const NAME = 'okx';

export const okx: VenueAdapter = {
  name: NAME,
  venueId: IndexVenue.OKX,
  defaultBaseUrl: 'https://www.okx.com',
  path: (symbol) => `/api/v5/market/ticker?instId=${encodeURIComponent(symbol)}`,
  parse(body: unknown): VenueQuote {
    const b = obj(body, NAME, 'body');
    if (b.code !== '0') throw new BadBodyError(NAME, `code ${String(b.code)}: ${String(b.msg)}`);
    const d = obj(arr(b.data, NAME, 'data')[0], NAME, 'data[0]');
    return { bid: text(d.bidPx, NAME, 'bidPx'), ask: text(d.askPx, NAME, 'askPx'), last: text(d.last, NAME, 'last'), venueTimeUs: msToUs(d.ts, NAME, 'ts') };
  },
};
