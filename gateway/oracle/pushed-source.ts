// PushedIndexSource: a source another process feeds over MQTT (venues this process cannot reach, a desk's
// own composite). Each message on its topic is one quote: JSON or msgpack, `{ "price": "<decimal>",
// "timeMs": <ms since the epoch> }` (timeMs optional: without it the receive time stands for it). The last
// good message is its price; a cycle with no new message records NO_UPDATE, and the staleness rule ages it
// like any other source's.

import { decode } from '@msgpack/msgpack';
import { IndexSourceStatus, IndexVenue } from '../../engine/enums.js';
import type { Decimal } from '../../engine/market/decimal.js';
import { updatedAt, type IndexSource, type Observation } from './index-source.js';
import { PriceField, quoteToTicks } from './quote-ticks.js';
import { msToUs, obj, text } from './venue-quote.js';

export interface PushedSourceOptions {
  readonly sourceId: number;
  readonly topic: string;
  readonly weight: bigint;
  readonly tick: Decimal;
  readonly clock: () => number;
}

export class PushedIndexSource implements IndexSource {
  readonly sourceId: number;
  readonly venueId = IndexVenue.MQTT;
  readonly venueName = 'mqtt';
  readonly label: string;
  readonly weight: bigint;
  last: Observation | undefined;
  status: IndexSourceStatus = IndexSourceStatus.NO_UPDATE;
  readonly httpStatus = 0;
  readonly latencyUs = 0;
  /** Messages refused (not the format), since start. */
  refused = 0;

  constructor(private readonly o: PushedSourceOptions) {
    this.sourceId = o.sourceId;
    this.label = `mqtt:${o.topic}`;
    this.weight = o.weight;
  }

  get topic(): string {
    return this.o.topic;
  }

  /** One message from the topic. A bad one is counted and leaves the last price as it was. */
  offer(payload: Uint8Array): void {
    const receivedUs = this.o.clock();
    try {
      const m = obj(payload[0] === 0x7b ? (JSON.parse(Buffer.from(payload).toString('utf8')) as unknown) : decode(payload), 'mqtt', 'message');
      const priceTicks = quoteToTicks({ last: text(m.price, 'mqtt', 'price') }, PriceField.LAST, this.o.tick, 'mqtt');
      const venueTimeUs = m.timeMs === undefined ? undefined : msToUs(m.timeMs, 'mqtt', 'timeMs');
      this.last = { priceTicks, venueTimeUs: venueTimeUs ?? 0, receivedUs, updatedUs: updatedAt(venueTimeUs, receivedUs) };
      this.status = IndexSourceStatus.OK;
    } catch {
      // Whatever a publisher sends (bad JSON, bad msgpack, no price) must not reach the oracle's loop.
      this.refused++;
      this.status = IndexSourceStatus.BAD_BODY;
    }
  }

  poll(): undefined {
    return undefined;
  }

  endCycle(): void {
    this.status = IndexSourceStatus.NO_UPDATE;
  }
}
