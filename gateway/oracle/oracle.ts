// IndexOracle: the index price of every market it prices (those its file names, and those an operator
// gave sources from its venues: useSources), at a fixed cadence, from their sources.
//
//   every cadenceMs (aligned to the wall clock) ─▶ cycle:
//     poll every idle HTTP source (one request in flight per source at most; a slow one is left running)
//     wait for this cycle's requests, at most collectMs
//     per market: risk/index-price.ts explainIndexPrice(last price of each source, now) ─▶ IndexTick
//     an operator's index, while one is in force, replaces the computed one (the sources are still recorded)
//   ─▶ tick listeners (the exchange feed: index-feed.ts), stale/recovered listeners, metrics
//
// The tick's time is the gateway clock when it was computed: the market shard sees the index as input
// stamped like any other, so its journal replays it exactly. Nothing here blocks the event loop; a cycle
// that would start while the last one runs is skipped (counted).

import { Registry } from 'prom-client';
import { IndexOrigin, IndexSourceStatus, IndexSourceVerdict } from '../../engine/enums.js';
import { Code, codeName } from '../../engine/codes.js';
import { decimalToUnits, Rounding } from '../../engine/market/decimal.js';
import type { MarketConfig } from '../../engine/market/spec.js';
import { explainIndexPrice, type VenuePrice } from '../../risk/index-price.js';
import { nowUs } from '../clock.js';
import { VENUE_ADAPTERS } from './adapters/index.js';
import type { MarketIndexSettings, OracleConfig } from './config.js';
import { HttpIndexSource } from './http-source.js';
import type { IndexSource } from './index-source.js';
import type { IndexTick, SourceSample } from './index-tick.js';
import { OracleMetrics } from './oracle-metrics.js';
import { PushedIndexSource } from './pushed-source.js';
import { VenueClient } from './venue-client.js';

export interface OracleOptions {
  readonly config: OracleConfig;
  /** The exchange's markets (price range of each). */
  readonly markets: readonly MarketConfig[];
  /** The gateway clock, µs (default gateway/clock.ts). */
  readonly clock?: () => number;
  readonly random?: () => number;
  /** Where the metrics go (the gateway's /metrics registry); a private one by default. */
  readonly registry?: Registry;
}

export interface IndexStaleEvent {
  readonly marketId: number;
  readonly symbol: string;
  readonly timeUs: number;
  readonly sourcesUsed: number;
}

export interface IndexRecoveredEvent {
  readonly marketId: number;
  readonly symbol: string;
  readonly timeUs: number;
  readonly indexTicks: bigint;
  /** How long the index had been stale (0 when it was never fresh before). */
  readonly staleForUs: number;
}

export type OperatorIndexResult = { readonly ok: true; readonly tick: IndexTick; readonly untilUs: number } | { readonly ok: false; readonly code: number; readonly message: string };

interface MarketState {
  readonly settings: MarketIndexSettings;
  readonly sources: readonly IndexSource[];
  readonly maxTicks: bigint;
  /** undefined until the first tick. */
  stale: boolean | undefined;
  staleSinceUs: number;
  override: { ticks: bigint; untilUs: number } | undefined;
  /** The operator's weights per sourceId (0n: left out), or undefined for the configured ones. */
  weights: readonly bigint[] | undefined;
}

export class IndexOracle {
  readonly metrics: OracleMetrics;
  readonly registry: Registry;
  private readonly clock: () => number;
  private readonly clients = new Map<string, VenueClient>();
  private readonly markets: MarketState[] = [];
  /** Each market's sources in use now: the file's, or an operator's (useSources). */
  private readonly bySymbol = new Map<string, MarketState>();
  /** The markets the --oracle file prices, with its sources. */
  private readonly configured = new Map<string, MarketState>();
  private readonly tickListeners: ((t: IndexTick) => void)[] = [];
  private readonly staleListeners: ((e: IndexStaleEvent) => void)[] = [];
  private readonly recoveredListeners: ((e: IndexRecoveredEvent) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  /** Cycles skipped because the previous one still ran. */
  skippedCycles = 0;
  /** Cycles run. */
  cycles = 0;

  constructor(readonly options: OracleOptions) {
    const o = options;
    this.clock = o.clock ?? nowUs;
    this.registry = o.registry ?? new Registry();
    this.metrics = new OracleMetrics(this.registry);
    for (const [name, v] of o.config.venues) {
      const client = new VenueClient({ ...v, random: o.random, onRetry: () => this.metrics.retries.inc({ venue: name }) });
      this.clients.set(name, client);
    }
    const specs = new Map(o.markets.map((m) => [m.marketId, m]));
    for (const m of o.config.markets) {
      const spec = specs.get(m.marketId);
      if (!spec) throw new RangeError(`oracle: market ${m.symbol} is not listed`);
      const state = this.stateOf(m, spec);
      this.markets.push(state);
      this.bySymbol.set(m.symbol, state);
      this.configured.set(m.symbol, state);
    }
  }

  /** A market's state: its sources built from its settings (a venue it names must be configured). */
  private stateOf(m: MarketIndexSettings, spec: MarketConfig): MarketState {
    const o = this.options;
    const sources = m.sources.map((s, sourceId): IndexSource => {
      if (s.kind === 'mqtt') return new PushedIndexSource({ sourceId, topic: s.topic, weight: s.weight, tick: m.tick, clock: this.clock });
      const v = o.config.venues.get(s.venue)!;
      return new HttpIndexSource({
        sourceId,
        adapter: VENUE_ADAPTERS.get(s.venue)!,
        client: this.clients.get(s.venue)!,
        symbol: s.symbol,
        weight: s.weight,
        field: s.field,
        tick: m.tick,
        maxTicks: BigInt(spec.maxPriceTicks),
        cooldownAfter: v.cooldownAfter,
        cooldownBaseMs: v.cooldownBaseMs,
        cooldownMaxMs: v.cooldownMaxMs,
        clock: this.clock,
        random: o.random,
        onResult: (src, status, latencyUs) => {
          this.metrics.requests.inc({ venue: src.venueName, status: STATUS_NAMES[status] ?? String(status) });
          this.metrics.requestSeconds.observe({ venue: src.venueName }, latencyUs / 1e6);
        },
      });
    });
    return { settings: m, sources, maxTicks: BigInt(spec.maxPriceTicks), stale: undefined, staleSinceUs: 0, override: undefined, weights: undefined };
  }

  /** Every index tick, as computed (cycles and operator calls). */
  onTick(listener: (t: IndexTick) => void): void {
    this.tickListeners.push(listener);
  }

  /** A market's index went stale: its mark freezes and it is reduce-only until it recovers. */
  onStale(listener: (e: IndexStaleEvent) => void): void {
    this.staleListeners.push(listener);
  }

  onRecovered(listener: (e: IndexRecoveredEvent) => void): void {
    this.recoveredListeners.push(listener);
  }

  /** The pushed (MQTT-fed) sources, for the subscriber that feeds them (mqtt-feeds.ts). */
  pushedSources(): PushedIndexSource[] {
    return this.markets.flatMap((m) => m.sources.filter((s): s is PushedIndexSource => s instanceof PushedIndexSource));
  }

  /** Every source of a market, by sourceId (tests, status pages). */
  sourcesOf(symbol: string): readonly IndexSource[] {
    return this.bySymbol.get(symbol)?.sources ?? [];
  }

  /** The sources the --oracle file gives a market, by sourceId (an operator's subset picks among them). */
  configuredSourcesOf(symbol: string): readonly IndexSource[] {
    return this.configured.get(symbol)?.sources ?? [];
  }

  /** The index rules and sources the --oracle file gives a market (minSources bounds an operator's choice of a subset). */
  settingsOf(symbol: string): MarketIndexSettings | undefined {
    return this.configured.get(symbol)?.settings;
  }

  /**
   * An operator's sources for a market, from the configured venues (config.ts venueSourcesOf checked
   * them), any market, listed at run time or not; undefined: back to the file's sources, or none for a
   * market the file does not name (it is then neither polled nor priced). Polled from the next cycle; an
   * operator's index in force and the stale state carry over.
   */
  useSources(spec: MarketConfig, settings: MarketIndexSettings | undefined): void {
    const current = this.bySymbol.get(spec.symbol);
    const next = settings ? this.stateOf(settings, spec) : this.configured.get(spec.symbol);
    if (current === next) return;
    const i = current ? this.markets.indexOf(current) : -1;
    if (i >= 0) this.markets.splice(i, 1);
    if (!next) {
      this.bySymbol.delete(spec.symbol);
      return;
    }
    if (current) Object.assign(next, { override: current.override, stale: current.stale, staleSinceUs: current.staleSinceUs });
    this.markets.push(next);
    this.bySymbol.set(spec.symbol, next);
  }

  /**
   * The operator's choice of a market's sources: a weight per sourceId (0n leaves the source out; it is
   * still recorded, with weight 0 and verdict NO_PRICE), or undefined for the configured weights. The
   * caller validated it (index-sources.ts): as many weights as sources. Takes effect from the next cycle.
   */
  selectSources(symbol: string, weights: readonly bigint[] | undefined): void {
    const m = this.bySymbol.get(symbol);
    if (m) m.weights = weights;
  }

  /** Starts the cadence: a cycle at every multiple of cadenceMs of the wall clock. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    const cadence = this.options.config.cadenceMs;
    const now = Date.now();
    this.timer = setTimeout(() => this.fire(), (Math.floor(now / cadence) + 1) * cadence - now);
  }

  private fire(): void {
    if (this.running) this.skippedCycles++;
    else {
      this.running = this.runCycle()
        .catch((e: Error) => console.error(`oracle: cycle failed: ${e.stack ?? e.message}`))
        .finally(() => (this.running = undefined));
    }
    this.schedule();
  }

  /** One cycle now: poll, wait at most collectMs, compute every market's tick and hand it to the listeners. */
  async runCycle(): Promise<IndexTick[]> {
    const started = performance.now();
    const pending: Promise<void>[] = [];
    const polled = [...this.markets];
    for (const m of polled) for (const s of m.sources) {
      const p = s.poll();
      if (p) pending.push(p);
    }
    if (pending.length > 0) await settleWithin(pending, this.options.config.collectMs);
    const timeUs = this.clock();
    // An operator may have changed a market's sources meanwhile: the new ones are computed from the next cycle, the old ones no more.
    const markets = polled.filter((m) => this.bySymbol.get(m.settings.symbol) === m);
    const ticks = markets.map((m) => this.compute(m, timeUs));
    for (const m of markets) for (const s of m.sources) s.endCycle();
    this.cycles++;
    this.metrics.cycleSeconds.observe((performance.now() - started) / 1000);
    for (const t of ticks) this.emit(t);
    return ticks;
  }

  /**
   * An operator's index for a market, in force for holdMs (it replaces the computed index in every cycle
   * until then, and the sources are still recorded beside it). The price is decimal text on the market's
   * tick grid. Sends a tick at once.
   */
  setOperatorIndex(symbol: string, price: string, holdMs: number): OperatorIndexResult {
    const m = this.bySymbol.get(symbol);
    if (!m) return { ok: false, code: Code.UNKNOWN_MARKET, message: `no index for market ${JSON.stringify(symbol)}` };
    if (!Number.isSafeInteger(holdMs) || holdMs < 1 || holdMs > 86_400_000) return { ok: false, code: Code.INVALID_NUMBER, message: 'holdMs must be an integer in [1, 86400000]' };
    const r = decimalToUnits(price, m.settings.tick, Rounding.EXACT, Code.PRICE_NOT_ON_TICK);
    if (!r.ok) return { ok: false, code: r.code, message: `price ${JSON.stringify(price)}: ${codeName(r.code)}` };
    if (r.units < 1n || r.units > m.maxTicks) return { ok: false, code: Code.PRICE_OUT_OF_RANGE, message: `price ${price} is out of the market's range` };
    const timeUs = this.clock();
    m.override = { ticks: r.units, untilUs: timeUs + holdMs * 1000 };
    const tick = this.compute(m, timeUs);
    this.emit(tick);
    return { ok: true, tick, untilUs: m.override.untilUs };
  }

  /** Ends an operator's index; the next cycle computes from the sources again. False if none was in force. */
  clearOperatorIndex(symbol: string): boolean {
    const m = this.bySymbol.get(symbol);
    if (!m?.override) return false;
    m.override = undefined;
    this.metrics.operatorOverride.set({ market: symbol }, 0);
    return true;
  }

  /** Stops the cadence, waits for a running cycle and closes the venue pools (aborting what still runs). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([...this.clients.values()].map((c) => c.destroy()));
    await this.running;
  }

  private compute(m: MarketState, timeUs: number): IndexTick {
    const s = m.settings;
    if (m.override && timeUs >= m.override.untilUs) {
      m.override = undefined;
      this.metrics.operatorOverride.set({ market: s.symbol }, 0);
    }
    const weightOf = (i: number): bigint => m.weights?.[i] ?? m.sources[i]!.weight;
    const venues: VenuePrice[] = m.sources.map((src, i) => ({ priceTicks: src.last?.priceTicks ?? 0n, weight: weightOf(i), updatedUs: src.last?.updatedUs ?? 0 }));
    const r = explainIndexPrice(venues, timeUs, s.params);
    const override = m.override;
    const samples: SourceSample[] = m.sources.map((src, i) => ({
      sourceId: src.sourceId,
      venueId: src.venueId,
      label: src.label,
      status: src.status,
      verdict: override ? IndexSourceVerdict.OVERRIDDEN : r.verdicts[i]!,
      httpStatus: src.httpStatus,
      weight: weightOf(i),
      latencyUs: src.latencyUs,
      priceTicks: src.last?.priceTicks ?? 0n,
      venueTimeUs: src.last?.venueTimeUs ?? 0,
      receivedUs: src.last?.receivedUs ?? 0,
      updatedUs: src.last?.updatedUs ?? 0,
    }));
    this.metrics.operatorOverride.set({ market: s.symbol }, override ? 1 : 0);
    if (override) return { marketId: s.marketId, symbol: s.symbol, timeUs, indexTicks: override.ticks, stale: false, sourcesUsed: 0, origin: IndexOrigin.OPERATOR, samples };
    return { marketId: s.marketId, symbol: s.symbol, timeUs, indexTicks: r.indexTicks, stale: r.stale, sourcesUsed: r.sourcesUsed, origin: IndexOrigin.ORACLE, samples };
  }

  private emit(t: IndexTick): void {
    const m = this.bySymbol.get(t.symbol)!;
    const was = m.stale;
    m.stale = t.stale;
    this.metrics.indexStale.set({ market: t.symbol }, t.stale ? 1 : 0);
    this.metrics.indexTicks.set({ market: t.symbol }, Number(t.indexTicks));
    this.metrics.sourcesUsed.set({ market: t.symbol }, t.sourcesUsed);
    for (const l of this.tickListeners) l(t);
    if (t.stale && was !== true) {
      m.staleSinceUs = t.timeUs;
      this.metrics.staleTransitions.inc({ market: t.symbol, to: 'stale' });
      for (const l of this.staleListeners) l({ marketId: t.marketId, symbol: t.symbol, timeUs: t.timeUs, sourcesUsed: t.sourcesUsed });
    } else if (!t.stale && was === true) {
      this.metrics.staleTransitions.inc({ market: t.symbol, to: 'fresh' });
      for (const l of this.recoveredListeners) l({ marketId: t.marketId, symbol: t.symbol, timeUs: t.timeUs, indexTicks: t.indexTicks, staleForUs: t.timeUs - m.staleSinceUs });
    }
  }
}

const STATUS_NAMES: Record<number, string> = Object.fromEntries(Object.entries(IndexSourceStatus).map(([k, v]) => [v, k]));

/** Resolves when every promise has settled or after ms, whichever comes first. */
function settleWithin(promises: readonly Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([Promise.allSettled(promises).then(() => undefined), deadline]).finally(() => clearTimeout(timer));
}
