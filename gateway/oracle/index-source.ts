// An index source: one venue's price for one market. What the index rules need from it (its last price
// in ticks, when that price was current, its weight) and what the record of each index tick says about it
// (this cycle's status, the venue's time, the round trip). Two kinds: polled over HTTP (http-source.ts)
// and pushed over MQTT by another process (pushed-source.ts).

import type { IndexSourceStatus } from '../../engine/enums.js';

export interface Observation {
  readonly priceTicks: bigint;
  /** The venue's own time of the quote, µs (0 when its format has none). */
  readonly venueTimeUs: number;
  /** When the oracle received it, µs on the gateway clock. */
  readonly receivedUs: number;
  /** What the staleness rule measures: min(venueTimeUs, receivedUs), or receivedUs without a venue time. */
  readonly updatedUs: number;
}

export interface IndexSource {
  /** Index of the source in its market's configured list: RecordIndexSource.sourceId. */
  readonly sourceId: number;
  /** engine/enums.ts IndexVenue. */
  readonly venueId: number;
  /** The venue's name and symbol, for logs and metrics labels. */
  readonly label: string;
  readonly venueName: string;
  readonly weight: bigint;
  /** The last good price, if any. */
  readonly last: Observation | undefined;
  /** What the latest request (or push) came to. */
  readonly status: IndexSourceStatus;
  /** HTTP status of the latest answer, 0 if none. */
  readonly httpStatus: number;
  /** Round trip of the latest finished request, µs. */
  readonly latencyUs: number;
  /**
   * Starts this cycle's request if the source is idle; returns a promise that settles (never rejects)
   * when it is done, or undefined when nothing was started (in flight already, cooling down, pushed).
   */
  poll(): Promise<void> | undefined;
  /** Called once per index tick after it is computed (a pushed source resets its NO_UPDATE state). */
  endCycle(): void;
}

/** updatedUs of a quote: the venue's time, but never later than when we received it (clocks drift). */
export function updatedAt(venueTimeUs: number | undefined, receivedUs: number): number {
  return venueTimeUs !== undefined && venueTimeUs > 0 && venueTimeUs < receivedUs ? venueTimeUs : receivedUs;
}
