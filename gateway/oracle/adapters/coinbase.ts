// Coinbase Exchange product ticker (`GET /products/BTC-USD/ticker`): last trade `price`, best `bid` and
// `ask`, and `time`, ISO 8601 with up to µs. An error is `{"message": "..."}`.

import { IndexVenue } from '../../../engine/enums.js';
import { BadBodyError, obj, text, type VenueAdapter, type VenueQuote } from '../venue-quote.js';

const NAME = 'coinbase';
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** ISO 8601 UTC to µs, keeping the sub-millisecond digits Date.parse would drop. */
export function isoToUs(v: unknown, venue: string, what: string): number {
  const m = typeof v === 'string' ? ISO.exec(v) : null;
  const seconds = m ? Date.parse(`${m[1]}Z`) : NaN;
  if (!m || !Number.isFinite(seconds)) throw new BadBodyError(venue, `${what} is not an ISO 8601 UTC time`);
  return seconds * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

export const coinbase: VenueAdapter = {
  name: NAME,
  venueId: IndexVenue.COINBASE,
  defaultBaseUrl: 'https://api.exchange.coinbase.com',
  path: (symbol) => `/products/${encodeURIComponent(symbol)}/ticker`,
  parse(body: unknown): VenueQuote {
    const b = obj(body, NAME, 'body');
    if (typeof b.message === 'string') throw new BadBodyError(NAME, b.message);
    return { bid: text(b.bid, NAME, 'bid'), ask: text(b.ask, NAME, 'ask'), last: text(b.price, NAME, 'price'), venueTimeUs: isoToUs(b.time, NAME, 'time') };
  },
};
