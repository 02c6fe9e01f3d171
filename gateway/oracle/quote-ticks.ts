// A venue quote's decimal text to the market's integer ticks: the one conversion, at the edge, to the
// nearest tick with a tie to the even one (Rounding.HALF_EVEN): a venue's price is a measurement that
// favours no side, and half-even biases the index neither up nor down. "mid" is (best bid + best ask) / 2
// computed exactly before that one rounding; "last" is the venue's last trade price.

import { Code } from '../../engine/codes.js';
import { decimalToUnits, midpointToUnits, Rounding, type Decimal } from '../../engine/market/decimal.js';
import { BadBodyError, type VenueQuote } from './venue-quote.js';

export const PriceField = { MID: 'mid', LAST: 'last' } as const;
export type PriceField = (typeof PriceField)[keyof typeof PriceField];

/**
 * The quote's price in ticks, in [1, maxTicks]; BadBodyError when the field is missing, not a decimal or
 * out of that range (a price the market cannot list is no price for its index).
 */
export function quoteToTicks(q: VenueQuote, field: PriceField, tick: Decimal, venue: string, maxTicks: bigint = BigInt(Number.MAX_SAFE_INTEGER)): bigint {
  let r;
  if (field === PriceField.MID) {
    if (q.bid === undefined || q.ask === undefined) throw new BadBodyError(venue, 'no best bid and ask for a mid price');
    r = midpointToUnits(q.bid, q.ask, tick, Rounding.HALF_EVEN, Code.PRICE_NOT_ON_TICK);
  } else {
    if (q.last === undefined) throw new BadBodyError(venue, 'no last price');
    r = decimalToUnits(q.last, tick, Rounding.HALF_EVEN, Code.PRICE_NOT_ON_TICK);
  }
  if (!r.ok) throw new BadBodyError(venue, `price is not a decimal (${field})`);
  if (r.units <= 0n || r.units > maxTicks) throw new BadBodyError(venue, `price out of the market's range (${field})`);
  return r.units;
}
