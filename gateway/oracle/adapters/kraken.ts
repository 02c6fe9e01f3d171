// Kraken spot ticker (`GET /0/public/Ticker?pair=XBTUSD`): `error` is a list of strings (empty on
// success); `result` is keyed by Kraken's own pair name (XBTUSD answers as XXBTZUSD), so the quote is the
// one entry whose key is the symbol asked or, failing that, the only entry. `a`/`b` are [price, whole-lot
// volume, lot volume], `c` [last price, lot volume]. No timestamp: the receive time stands for it.

import { IndexVenue } from '../../../engine/enums.js';
import { arr, BadBodyError, obj, text, type VenueAdapter, type VenueQuote } from '../venue-quote.js';

const NAME = 'kraken';

export const kraken: VenueAdapter = {
  name: NAME,
  venueId: IndexVenue.KRAKEN,
  defaultBaseUrl: 'https://api.kraken.com',
  path: (symbol) => `/0/public/Ticker?pair=${encodeURIComponent(symbol)}`,
  parse(body: unknown, symbol: string): VenueQuote {
    const b = obj(body, NAME, 'body');
    const errors = arr(b.error, NAME, 'error');
    if (errors.length > 0) throw new BadBodyError(NAME, errors.map(String).join('; '));
    const result = obj(b.result, NAME, 'result');
    const keys = Object.keys(result);
    const key = keys.includes(symbol) ? symbol : keys.length === 1 ? keys[0]! : undefined;
    if (key === undefined) throw new BadBodyError(NAME, `no single ticker in result (${keys.length} entries)`);
    const t = obj(result[key], NAME, key);
    const first = (field: string) => text(arr(t[field], NAME, `${key}.${field}`)[0], NAME, `${key}.${field}[0]`);
    return { ask: first('a'), bid: first('b'), last: first('c') };
  },
};
