// Where each market's index comes from, as an operator chose it at run time (PUT
// /operator/markets/:symbol/index-source, gateway/operator/index-source-routes.ts):
//
//   oracle     the index oracle's weighted median (--oracle), of all its configured sources or of a subset
//              with the operator's weights
//   manual     a price the operator set, sent every second until the operator changes the source
//   simulated  the demo's random walk (demo/sim-index.ts), continued from the index the market had (only
//              for the markets the walk knows: the configured ones)
//   none       no index at all: a market listed at run time until the operator chooses a source (its
//              shards refuse orders in it, MARK_PRICE_UNAVAILABLE, until a first index gives it a mark)
//
// Every index still enters the market shard as sequenced input (UpdateIndexPrice on the gateway's stream
// of the shard, with its origin), so a journal replays what the shard received whatever the source was.
// Each choice is written (synced) to the gateway's store before it takes effect ('X' marketId), and a
// restart starts from it: a manual price keeps being sent, an oracle subset keeps its weights. Without a
// store (--in-memory) a restart starts from the defaults: the oracle for the markets it prices, else the walk.

import { IndexOrigin } from '../../engine/enums.js';
import type { MarketConfig } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import type { Store } from '../../persistence/store.js';
import { Family, familyRange, indexSourceKey, readU32 } from '../auth/gateway-keys.js';
import type { SimIndex } from '../demo/sim-index.js';
import type { IndexOracle } from './oracle.js';
import { registryOf, type MarketRegistry } from '../markets/market-registry.js';

export type IndexChoice =
  | { readonly source: 'none' }
  | { readonly source: 'simulated' }
  | { readonly source: 'manual'; readonly priceTicks: bigint }
  /** weights: per sourceId of the oracle's configured list, 0n leaves one out; undefined: as configured. */
  | { readonly source: 'oracle'; readonly weights?: readonly bigint[] };

/** What the table sends index ticks into (ThreadedExchange has it). */
export interface IndexInput {
  offer(buf: RecordBuffer, at: number): boolean;
  flush(): void;
}

export interface IndexSourcesOptions {
  /** The markets (shared: a market listed later starts with no source, `none`). */
  readonly markets: MarketRegistry | readonly MarketConfig[];
  readonly sim: SimIndex;
  readonly oracle?: IndexOracle;
  readonly exchange: IndexInput;
  /** The gateway's store, or undefined in memory (choices then last until the process ends). */
  readonly store?: Store;
  /** The index a market's shard last published, if known (a switch to the walk continues from it). */
  readonly currentIndex?: (marketId: number) => number | undefined;
  readonly clock: () => number;
}

interface StoredChoice {
  readonly source: IndexChoice['source'];
  readonly priceTicks?: string;
  readonly weights?: readonly string[];
}

const toStored = (c: IndexChoice): StoredChoice =>
  c.source === 'manual' ? { source: c.source, priceTicks: c.priceTicks.toString() } : c.source === 'oracle' && c.weights ? { source: c.source, weights: c.weights.map(String) } : { source: c.source };

export class IndexSources {
  private readonly choices = new Map<number, IndexChoice>();
  private readonly buf = RecordBuffer.allocate(1);
  /** Manual index ticks the exchange could not take (a full ring): the next second sends again. */
  skipped = 0;

  private readonly markets: MarketRegistry;

  private constructor(private readonly o: IndexSourcesOptions) {
    this.markets = registryOf(o.markets);
    for (const m of this.markets.list()) this.choices.set(m.marketId, this.defaultOf(m));
    this.markets.onAdd((m) => this.choices.set(m.marketId, this.defaultOf(m)));
  }

  /** The table, with the choices the store kept applied (a stored choice the configuration no longer allows is dropped). */
  static async open(o: IndexSourcesOptions): Promise<IndexSources> {
    const t = new IndexSources(o);
    if (o.store) {
      for await (const e of o.store.scan(familyRange(Family.INDEX_SOURCE))) {
        const m = t.markets.get(readU32(e.key, 1));
        const c = m && t.fromStored(m, Buffer.from(e.value).toString('utf8'));
        if (m && c) t.apply(m, c);
      }
    }
    return t;
  }

  choiceOf(marketId: number): IndexChoice | undefined {
    return this.choices.get(marketId);
  }

  /** Whether the market's index is the oracle's now (the oracle's feed sends only those: index-feed.ts). */
  fromOracle(marketId: number): boolean {
    return this.choices.get(marketId)?.source === 'oracle';
  }

  /** Records the choice in the store (synced), then applies it: a manual price is sent at once. */
  async choose(market: MarketConfig, c: IndexChoice): Promise<void> {
    await this.o.store?.write([{ type: 'put', key: indexSourceKey(market.marketId), value: Buffer.from(JSON.stringify(toStored(c)), 'utf8') }], true);
    this.apply(market, c);
    if (c.source === 'manual') {
      this.sendManual(market.marketId, c.priceTicks, this.o.clock());
      this.o.exchange.flush();
    }
  }

  /** The once-a-second duty: the walk's ticks for the simulated markets, the held price of the manual ones. */
  tick(timeUs: number): void {
    this.o.sim.tick(this.o.exchange, timeUs, (id) => this.choices.get(id)?.source === 'simulated');
    for (const [id, c] of this.choices) if (c.source === 'manual') this.sendManual(id, c.priceTicks, timeUs);
    this.o.exchange.flush();
  }

  /** Whether the walk can be a market's source (it walks the markets it was configured with). */
  simulates(marketId: number): boolean {
    return this.o.sim.markets.some((m) => m.market.marketId === marketId);
  }

  private defaultOf(m: MarketConfig): IndexChoice {
    if (this.o.oracle?.settingsOf(m.symbol)) return { source: 'oracle' };
    return this.simulates(m.marketId) ? { source: 'simulated' } : { source: 'none' };
  }

  private apply(m: MarketConfig, c: IndexChoice): void {
    const was = this.choices.get(m.marketId);
    this.choices.set(m.marketId, c);
    this.o.oracle?.selectSources(m.symbol, c.source === 'oracle' ? c.weights : undefined);
    if (c.source === 'simulated' && was?.source !== 'simulated') {
      const current = was?.source === 'manual' ? Number(was.priceTicks) : this.o.currentIndex?.(m.marketId);
      if (current !== undefined) this.o.sim.resume(m.marketId, current);
    }
  }

  /** A stored choice, or undefined when it is unreadable or the configuration no longer allows it. */
  private fromStored(m: MarketConfig, text: string): IndexChoice | undefined {
    try {
      return this.parseStored(m, JSON.parse(text) as StoredChoice);
    } catch {
      return undefined;
    }
  }

  private parseStored(m: MarketConfig, s: StoredChoice): IndexChoice | undefined {
    if (s.source === 'simulated') return this.simulates(m.marketId) ? { source: 'simulated' } : undefined;
    if (s.source === 'manual' && typeof s.priceTicks === 'string') {
      const t = BigInt(s.priceTicks);
      return t >= 1n && t <= BigInt(m.maxPriceTicks) ? { source: 'manual', priceTicks: t } : undefined;
    }
    if (s.source !== 'oracle') return undefined;
    const settings = this.o.oracle?.settingsOf(m.symbol);
    if (!settings) return undefined;
    if (s.weights === undefined) return { source: 'oracle' };
    const weights = s.weights.map((w) => BigInt(w));
    const chosen = weights.filter((w) => w > 0n).length;
    return weights.length === settings.sources.length && chosen >= settings.params.minSources ? { source: 'oracle', weights } : { source: 'oracle' };
  }

  private sendManual(marketId: number, priceTicks: bigint, timeUs: number): void {
    encodeRecord(this.buf, 0, UpdateIndexPriceLayout, { marketId, timeUs }, { indexPriceTicks: Number(priceTicks), sourcesUsed: 0, stale: 0, origin: IndexOrigin.OPERATOR, sourceCount: 0 });
    if (!this.o.exchange.offer(this.buf, 0)) this.skipped++;
  }
}
