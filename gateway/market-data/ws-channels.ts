// The market-data channels of the WebSocket gateway: one hub (gateway/market-data/hub.ts) fed by the
// gateway's dispatch loop, and one registered channel per hub channel (book, trades, ticker, mark, index,
// funding, liquidations, adl, insurance), each sending `md` frames: the hub's message with `market` as the
// market id the client subscribed with and `symbol` beside it (docs/PROTOCOL.md, "Market data").
//
// Slow consumers: the gateway closes a connection whose outbound buffer passes its cap. Before that, the
// book channel stops sending diffs to a subscriber whose buffer holds more than slowBytes and, once it has
// drained below half of that, sends a fresh snapshot instead of the next diff: the client's book jumps
// to the present instead of replaying a backlog. Each message is encoded once for every subscriber.

import type { MarketRegistry } from '../markets/market-registry.js';
import type { Store } from '../../persistence/store.js';
import type { RecordListener } from '../dispatch.js';
import type { StoreBatcher } from '../orders/store-batcher.js';
import type { Channel as WsChannel, ChannelRegistry, Subscriber } from '../server/channels.js';
import { MarketDataHub } from './hub.js';
import { CHANNELS, EXCHANGE_WIDE, type MarketDataMessage } from './messages.js';

/** What of the Gateway this needs (its public members). */
export interface MarketDataHost {
  readonly channels: ChannelRegistry;
  readonly codec: { encode(message: object): Uint8Array };
  /** The markets served: a market listed later gets its channels when the registry adds it. */
  readonly markets: MarketRegistry;
  addListener(l: RecordListener): () => void;
  /** True when the host restores its listeners from the shards before serving (Gateway.restoresState). */
  readonly restoresState?: boolean;
  /** Runs a load with the host's store before it serves (Gateway.beforeServing): the tickers' minutes. */
  beforeServing?(load: (store: Store, batcher: StoreBatcher) => Promise<void>): boolean;
}

export interface MountOptions {
  /** Outbound bytes past which a book subscriber gets no more diffs until it drains (default 256 KiB). */
  readonly slowBytes?: number;
}

/** Builds the hub, feeds it from the gateway's records and registers every channel; returns the hub. */
export function mountMarketData(host: MarketDataHost, o: MountOptions = {}): MarketDataHub {
  const hub = new MarketDataHub(host.markets.list(), true, host.restoresState === true);
  // Restored from the shards' copies after a restart, then fed the records after them (dispatch.ts).
  host.addListener({ onRecord: hub.onRecord, restore: (states) => hub.restore(states) });
  // The 24 h tickers are kept in the host's store, and loaded before it serves; a hub mounted on a
  // gateway already open keeps them in memory only (as it is not restored from the shards either).
  host.beforeServing?.((store, batcher) => hub.loadTickers(store, batcher));
  const slowBytes = o.slowBytes ?? 256 * 1024;
  const idOf = new Map(host.markets.list().map((m) => [m.symbol, m.marketId]));
  const symbolOf = new Map(host.markets.list().map((m) => [m.marketId, m.symbol]));
  // A market listed at run time: its book, trades, ticker, mark, index and funding from now on.
  host.markets.onAdd((m) => {
    hub.addMarket(m);
    idOf.set(m.symbol, m.marketId);
    symbolOf.set(m.marketId, m.symbol);
  });
  let lastMessage: MarketDataMessage | undefined;
  let lastFrame: Uint8Array | undefined;
  const frame = (m: MarketDataMessage): Uint8Array => {
    if (m !== lastMessage) {
      lastMessage = m;
      lastFrame = host.codec.encode(m.market === EXCHANGE_WIDE ? { t: 'md', ...m, market: undefined } : { t: 'md', ...m, market: idOf.get(m.market), symbol: m.market });
    }
    return lastFrame!;
  };
  for (const name of CHANNELS) {
    const unsubscribers = new Map<string, () => void>();
    const key = (sub: Subscriber, market: number | undefined) => `${sub.id}/${market ?? ''}`;
    const channel: WsChannel = {
      name,
      perMarket: name !== 'insurance',
      subscribe(sub, market) {
        const symbol = market === undefined ? EXCHANGE_WIDE : symbolOf.get(market)!;
        let behind = false;
        const sink = (m: MarketDataMessage): void => {
          if (m.channel !== 'book' || m.type === 'snapshot') {
            sub.send(frame(m));
            return;
          }
          if (sub.bufferedBytes > slowBytes) behind = true;
          else if (behind && sub.bufferedBytes <= slowBytes / 2) {
            behind = false;
            sub.send(frame(hub.snapshot(symbol)!));
          } else if (!behind) sub.send(frame(m));
        };
        const r = hub.subscribe(name, symbol, sink);
        if (!r.ok) return r.code;
        unsubscribers.set(key(sub, market), r.unsubscribe);
        return undefined;
      },
      unsubscribe(sub, market) {
        unsubscribers.get(key(sub, market))?.();
        unsubscribers.delete(key(sub, market));
      },
    };
    host.channels.register(channel);
  }
  return hub;
}
