// ChannelRegistry: the market-data channels the gateway routes `subscribe` and `unsubscribe` to. The
// gateway owns the protocol messages; each channel (gateway/market-data/, another module) owns what it
// sends: on subscribe typically a snapshot, then updates as `md` frames through the subscriber's send(),
// which enforces the outbound cap. A channel refuses a subscription by returning an error code.
//
//   gateway.channels.register({ name: 'book', perMarket: true, subscribe(sub, market) {...}, unsubscribe(sub, market) {...} })

import { Code } from '../../engine/codes.js';

export interface Subscriber {
  /** Unique per connection for the life of the gateway. */
  readonly id: number;
  /** Queues one frame; false when the connection is gone or was closed as a slow consumer. */
  send(frame: Uint8Array): boolean;
  /** Bytes queued and not yet written: a channel may choose to send a fresh snapshot instead of diffs. */
  readonly bufferedBytes: number;
}

export interface Channel {
  readonly name: string;
  /** Whether `market` is required (and checked against the gateway's markets) or refused. */
  readonly perMarket: boolean;
  /** Starts sending to `sub`; returns an error code to refuse. */
  subscribe(sub: Subscriber, market: number | undefined): number | void;
  unsubscribe(sub: Subscriber, market: number | undefined): void;
}

export class ChannelRegistry {
  private readonly channels = new Map<string, Channel>();

  register(c: Channel): void {
    if (this.channels.has(c.name)) throw new RangeError(`channel '${c.name}' is registered twice`);
    this.channels.set(c.name, c);
  }

  get(name: string): Channel | undefined {
    return this.channels.get(name);
  }

  names(): string[] {
    return [...this.channels.keys()].sort();
  }

  /** Subscribes; returns OK or the refusal's code. */
  subscribe(name: string, sub: Subscriber, market: number | undefined, markets: ReadonlySet<number>): number {
    const c = this.channels.get(name);
    if (c === undefined) return Code.UNKNOWN_CHANNEL;
    if (c.perMarket ? market === undefined || !markets.has(market) : market !== undefined) return c.perMarket && market !== undefined ? Code.UNKNOWN_MARKET : Code.INVALID_FIELD;
    return c.subscribe(sub, market) ?? Code.OK;
  }

  unsubscribe(name: string, sub: Subscriber, market: number | undefined): number {
    const c = this.channels.get(name);
    if (c === undefined) return Code.UNKNOWN_CHANNEL;
    c.unsubscribe(sub, market);
    return Code.OK;
  }
}
