// The venue adapters by the name the config file uses.

import type { VenueAdapter } from '../venue-quote.js';
import { binance } from './binance.js';
import { bybit } from './bybit.js';
import { coinbase } from './coinbase.js';
import { kraken } from './kraken.js';
import { okx } from './okx.js';

export const VENUE_ADAPTERS: ReadonlyMap<string, VenueAdapter> = new Map([binance, coinbase, kraken, okx, bybit].map((a) => [a.name, a]));
