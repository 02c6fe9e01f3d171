// HttpIndexSource: a source polled over HTTP, one request at a time. poll() starts a request only when
// the last one has finished (no pile-up behind a slow venue: a cycle that finds it still running records
// IN_FLIGHT and moves on) and the source is not cooling down. After `cooldownAfter` consecutive failures
// the source rests for min(cooldownMaxMs, cooldownBaseMs · 2^k) with equal jitter (half fixed, half
// random), so a venue that is down is not asked every cycle; one success ends the rest.

import { IndexSourceStatus } from '../../engine/enums.js';
import type { Decimal } from '../../engine/market/decimal.js';
import { updatedAt, type IndexSource, type Observation } from './index-source.js';
import { quoteToTicks, type PriceField } from './quote-ticks.js';
import { BadBodyError, type VenueAdapter } from './venue-quote.js';
import type { VenueClient } from './venue-client.js';

export interface HttpSourceOptions {
  readonly sourceId: number;
  readonly adapter: VenueAdapter;
  readonly client: VenueClient;
  readonly symbol: string;
  readonly weight: bigint;
  readonly field: PriceField;
  readonly tick: Decimal;
  /** The market's highest price: a quote above it is no price. */
  readonly maxTicks: bigint;
  readonly cooldownAfter: number;
  readonly cooldownBaseMs: number;
  readonly cooldownMaxMs: number;
  /** The gateway clock, µs. */
  readonly clock: () => number;
  readonly random?: () => number;
  /** Told of every finished request (metrics). */
  readonly onResult?: (source: HttpIndexSource, status: IndexSourceStatus, latencyUs: number) => void;
}

export class HttpIndexSource implements IndexSource {
  readonly sourceId: number;
  readonly venueId: number;
  readonly venueName: string;
  readonly label: string;
  readonly weight: bigint;
  last: Observation | undefined;
  status: IndexSourceStatus = IndexSourceStatus.NO_UPDATE;
  httpStatus = 0;
  latencyUs = 0;
  /** Requests started, since start. */
  requests = 0;
  private running: Promise<void> | undefined;
  private failures = 0;
  private restUntilUs = 0;

  constructor(private readonly o: HttpSourceOptions) {
    this.sourceId = o.sourceId;
    this.venueId = o.adapter.venueId;
    this.venueName = o.adapter.name;
    this.label = `${o.adapter.name}:${o.symbol}`;
    this.weight = o.weight;
  }

  get inFlight(): boolean {
    return this.running !== undefined;
  }

  poll(): Promise<void> | undefined {
    if (this.running) {
      this.status = IndexSourceStatus.IN_FLIGHT;
      return undefined;
    }
    if (this.o.clock() < this.restUntilUs) {
      this.status = IndexSourceStatus.COOLING_DOWN;
      return undefined;
    }
    this.status = IndexSourceStatus.IN_FLIGHT;
    this.requests++;
    const started = this.o.clock();
    this.running = this.request(started).finally(() => (this.running = undefined));
    return this.running;
  }

  endCycle(): void {}

  private async request(startedUs: number): Promise<void> {
    const o = this.o;
    let status: IndexSourceStatus;
    try {
      const answer = await o.client.getJson(o.adapter.path(o.symbol));
      const receivedUs = o.clock();
      this.httpStatus = answer.statusCode;
      const quote = o.adapter.parse(answer.body, o.symbol);
      const priceTicks = quoteToTicks(quote, o.field, o.tick, o.adapter.name, o.maxTicks);
      this.last = { priceTicks, venueTimeUs: quote.venueTimeUs ?? 0, receivedUs, updatedUs: updatedAt(quote.venueTimeUs, receivedUs) };
      status = IndexSourceStatus.OK;
    } catch (e) {
      status = classify(e);
      // The status of the answer when there was one (an HTTP error, or a body that came with it).
      const code = (e as { statusCode?: number }).statusCode;
      this.httpStatus = code ?? (status === IndexSourceStatus.BAD_BODY ? this.httpStatus : 0);
    }
    this.latencyUs = Math.max(0, o.clock() - startedUs);
    this.status = status;
    if (status === IndexSourceStatus.OK) this.failures = 0;
    else if (++this.failures >= o.cooldownAfter) {
      const ceiling = Math.min(o.cooldownMaxMs, o.cooldownBaseMs * 2 ** (this.failures - o.cooldownAfter));
      this.restUntilUs = o.clock() + Math.floor(ceiling * (0.5 + (o.random ?? Math.random)() / 2)) * 1000;
    }
    o.onResult?.(this, status, this.latencyUs);
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ABORT_ERR', 'UND_ERR_ABORTED']);

/** What a failed request was: TIMEOUT, HTTP_ERROR, BAD_BODY or NETWORK_ERROR. */
function classify(e: unknown): IndexSourceStatus {
  if (e instanceof BadBodyError) return IndexSourceStatus.BAD_BODY;
  const err = e as { name?: string; code?: string; statusCode?: number };
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || (err.code !== undefined && TIMEOUT_CODES.has(err.code))) return IndexSourceStatus.TIMEOUT;
  if (typeof err.statusCode === 'number' && err.statusCode >= 300) return IndexSourceStatus.HTTP_ERROR;
  return IndexSourceStatus.NETWORK_ERROR;
}
