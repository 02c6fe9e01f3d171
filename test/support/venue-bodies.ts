// Venue response bodies for oracle tests, from test/fixtures/venues: the real Binance depth recording and
// the venues' documented examples, verbatim (fixtureBody), or with only the price and time fields
// rewritten (venueBody) so several venues can quote one market at chosen prices in their own formats.

import { readFileSync } from 'node:fs';
import { fixture } from './paths.js';

export type VenueName = 'binance' | 'coinbase' | 'kraken' | 'okx' | 'bybit';

const FILES: Record<Exclude<VenueName, 'binance'>, string> = {
  coinbase: 'coinbase-ticker.json',
  kraken: 'kraken-ticker.json',
  okx: 'okx-ticker.json',
  bybit: 'bybit-tickers-spot.json',
};

/** The recorded Binance depth bodies by symbol (`<url> -> <epoch>: <body>` lines). */
export function binanceRecordings(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(fixture('venues', 'BINANCE_FUTURES.http.0.0'), 'utf8').split('\n')) {
    const m = /^\S+symbol=([A-Z0-9]+)\S* -> [\d.]+: (.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** A fixture body exactly as stored. */
export function fixtureBody(venue: VenueName): string {
  if (venue === 'binance') return binanceRecordings().get('SUSHIUSDT')!;
  return readFileSync(fixture('venues', FILES[venue]), 'utf8');
}

export interface Quote {
  bid: string;
  ask: string;
  last?: string;
  /** Venue time, ms since the epoch. */
  timeMs: number;
}

// The fixtures are the venues' JSON: walked by the paths each format documents.
type J = Record<string, any>;

/** The venue's fixture body with its price and time fields set to q (same shape, same other fields). */
export function venueBody(venue: VenueName, q: Quote): string {
  const b = JSON.parse(fixtureBody(venue)) as J;
  const last = q.last ?? q.bid;
  switch (venue) {
    case 'binance':
      b.bids[0][0] = q.bid;
      b.asks[0][0] = q.ask;
      b.E = q.timeMs;
      b.T = q.timeMs;
      break;
    case 'coinbase':
      Object.assign(b, { bid: q.bid, ask: q.ask, price: last, time: new Date(q.timeMs).toISOString().replace('Z', '000Z') });
      break;
    case 'kraken': {
      const t = b.result.XXBTZUSD;
      t.a[0] = q.ask;
      t.b[0] = q.bid;
      t.c[0] = last;
      break;
    }
    case 'okx':
      Object.assign(b.data[0], { bidPx: q.bid, askPx: q.ask, last, ts: String(q.timeMs) });
      break;
    case 'bybit':
      Object.assign(b.result.list[0], { bid1Price: q.bid, ask1Price: q.ask, lastPrice: last });
      b.time = q.timeMs;
      break;
  }
  return JSON.stringify(b);
}
