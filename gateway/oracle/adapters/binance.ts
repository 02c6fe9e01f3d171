// Binance order book (spot `GET /api/v3/depth?symbol=BTCUSDT&limit=5`; USDⓈ-M futures `/fapi/v1/depth`
// has the same shape plus `E` event time and `T` transaction time in ms, which are used when present).
// The quote is the top of the book: bids and asks are [price, qty] pairs, best first.

import { IndexVenue } from '../../../engine/enums.js';
import { arr, BadBodyError, msToUs, obj, text, type VenueAdapter, type VenueQuote } from '../venue-quote.js';

const NAME = 'binance';

function top(levels: unknown, what: string): string {
  const first = arr(levels, NAME, what)[0];
  if (first === undefined) throw new BadBodyError(NAME, `${what} is empty`);
  return text(arr(first, NAME, `${what}[0]`)[0], NAME, `${what}[0][0]`);
}

export const binance: VenueAdapter = {
  name: NAME,
  venueId: IndexVenue.BINANCE,
  defaultBaseUrl: 'https://api.binance.com',
  path: (symbol) => `/api/v3/depth?symbol=${encodeURIComponent(symbol)}&limit=5`,
  parse(body: unknown): VenueQuote {
    const b = obj(body, NAME, 'body');
    if (typeof b.code === 'number' && typeof b.msg === 'string') throw new BadBodyError(NAME, `error ${b.code}: ${b.msg}`);
    const time = b.T ?? b.E;
    return { bid: top(b.bids, 'bids'), ask: top(b.asks, 'asks'), ...(time === undefined ? {} : { venueTimeUs: msToUs(time, NAME, 'T') }) };
  },
};
