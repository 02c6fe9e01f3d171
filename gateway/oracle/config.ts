// The oracle's configuration: one JSON file (an example: config/oracle.example.json, documented in
// docs/ORACLE.md). Every field is checked here, before anything starts; a bad file gets an
// OracleConfigError that names the field by its path (`markets[0].sources[2].weight`) and says what it
// must be. Defaults are stated once, below.

import { readFileSync } from 'node:fs';
import { positiveDecimal, type Decimal } from '../../engine/market/decimal.js';
import type { MarketConfig } from '../../engine/market/spec.js';
import { RATE_ONE } from '../../risk/units.js';
import type { IndexParams } from '../../risk/index-price.js';
import { VENUE_ADAPTERS } from './adapters/index.js';
import { PriceField } from './quote-ticks.js';

export class OracleConfigError extends Error {
  readonly code = 'ORACLE_CONFIG_INVALID';
  constructor(
    readonly field: string,
    why: string,
  ) {
    super(`oracle config: ${field} ${why}`);
    this.name = 'OracleConfigError';
  }
}

export interface VenueSettings {
  readonly baseUrl: string;
  readonly connections: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly cooldownAfter: number;
  readonly cooldownBaseMs: number;
  readonly cooldownMaxMs: number;
  readonly maxBodyBytes: number;
}

export type SourceSettings =
  | { readonly kind: 'http'; readonly venue: string; readonly symbol: string; readonly weight: bigint; readonly field: PriceField }
  | { readonly kind: 'mqtt'; readonly topic: string; readonly weight: bigint };

export interface MarketIndexSettings {
  readonly marketId: number;
  readonly symbol: string;
  readonly tick: Decimal;
  readonly params: IndexParams;
  readonly sources: readonly SourceSettings[];
}

export interface OracleConfig {
  /** A cycle starts at every multiple of this on the wall clock. */
  readonly cadenceMs: number;
  /** How long a cycle waits for its requests before it computes the index with what it has. */
  readonly collectMs: number;
  readonly venues: ReadonlyMap<string, VenueSettings>;
  readonly markets: readonly MarketIndexSettings[];
}

const VENUE_DEFAULTS: Omit<VenueSettings, 'baseUrl'> = Object.freeze({
  connections: 1,
  timeoutMs: 800,
  retries: 2,
  retryBaseMs: 50,
  retryMaxMs: 400,
  cooldownAfter: 3,
  cooldownBaseMs: 2_000,
  cooldownMaxMs: 60_000,
  maxBodyBytes: 256 * 1024,
});

const DEFAULTS = { cadenceMs: 1_000, collectMs: 400, stalenessMs: 10_000, maxDeviationBps: 500, minSources: 3 } as const;

type Json = Record<string, unknown>;

function object(v: unknown, field: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OracleConfigError(field, 'must be an object');
  return v as Json;
}

function onlyKeys(o: Json, field: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new OracleConfigError(`${field}.${k}`.replace(/^\./, ''), `is not a known field (known: ${allowed.join(', ')})`);
}

function int(o: Json, key: string, field: string, lo: number, hi: number, fallback?: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < lo || v > hi) throw new OracleConfigError(field, `must be an integer in [${lo}, ${hi}], got ${JSON.stringify(o[key])}`);
  return v;
}

function str(o: Json, key: string, field: string, pattern: RegExp, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || !pattern.test(v)) throw new OracleConfigError(field, `must be ${what}, got ${JSON.stringify(v)}`);
  return v;
}

function venueSettings(name: string, v: unknown, field: string): VenueSettings {
  const o = object(v ?? {}, field);
  onlyKeys(o, field, ['baseUrl', ...Object.keys(VENUE_DEFAULTS)]);
  const d = VENUE_DEFAULTS;
  const baseUrl = o.baseUrl === undefined ? VENUE_ADAPTERS.get(name)!.defaultBaseUrl : str(o, 'baseUrl', `${field}.baseUrl`, /^https?:\/\/[^/?#\s]+$/, 'an http(s) origin without a path (https://host[:port])');
  const s: VenueSettings = {
    baseUrl,
    connections: int(o, 'connections', `${field}.connections`, 1, 64, d.connections),
    timeoutMs: int(o, 'timeoutMs', `${field}.timeoutMs`, 10, 60_000, d.timeoutMs),
    retries: int(o, 'retries', `${field}.retries`, 0, 10, d.retries),
    retryBaseMs: int(o, 'retryBaseMs', `${field}.retryBaseMs`, 1, 60_000, d.retryBaseMs),
    retryMaxMs: int(o, 'retryMaxMs', `${field}.retryMaxMs`, 1, 60_000, d.retryMaxMs),
    cooldownAfter: int(o, 'cooldownAfter', `${field}.cooldownAfter`, 1, 1_000, d.cooldownAfter),
    cooldownBaseMs: int(o, 'cooldownBaseMs', `${field}.cooldownBaseMs`, 1, 3_600_000, d.cooldownBaseMs),
    cooldownMaxMs: int(o, 'cooldownMaxMs', `${field}.cooldownMaxMs`, 1, 3_600_000, d.cooldownMaxMs),
    maxBodyBytes: int(o, 'maxBodyBytes', `${field}.maxBodyBytes`, 1_024, 64 * 1024 * 1024, d.maxBodyBytes),
  };
  if (s.retryMaxMs < s.retryBaseMs) throw new OracleConfigError(`${field}.retryMaxMs`, `must be at least retryBaseMs (${s.retryBaseMs})`);
  if (s.cooldownMaxMs < s.cooldownBaseMs) throw new OracleConfigError(`${field}.cooldownMaxMs`, `must be at least cooldownBaseMs (${s.cooldownBaseMs})`);
  return s;
}

function source(v: unknown, field: string): SourceSettings {
  const o = object(v, field);
  const weight = BigInt(int(o, 'weight', `${field}.weight`, 1, 1_000_000, 1));
  if (o.mqtt !== undefined) {
    onlyKeys(o, field, ['mqtt', 'weight']);
    return { kind: 'mqtt', topic: str(o, 'mqtt', `${field}.mqtt`, /^[^#+\s]{1,200}$/, 'an MQTT topic without wildcards'), weight };
  }
  onlyKeys(o, field, ['venue', 'symbol', 'weight', 'price']);
  const venue = str(o, 'venue', `${field}.venue`, /^[a-z]+$/, `one of ${[...VENUE_ADAPTERS.keys()].join(', ')} (or an "mqtt" topic instead)`);
  if (!VENUE_ADAPTERS.has(venue)) throw new OracleConfigError(`${field}.venue`, `must be one of ${[...VENUE_ADAPTERS.keys()].join(', ')}, got "${venue}"`);
  const symbol = str(o, 'symbol', `${field}.symbol`, /^[A-Za-z0-9._/-]{1,40}$/, "the venue's symbol (letters, digits, . _ / -)");
  const field_ = o.price ?? PriceField.MID;
  if (field_ !== PriceField.MID && field_ !== PriceField.LAST) throw new OracleConfigError(`${field}.price`, `must be "mid" or "last", got ${JSON.stringify(o.price)}`);
  return { kind: 'http', venue, symbol, weight, field: field_ };
}

function market(v: unknown, field: string, known: ReadonlyMap<string, MarketConfig>): MarketIndexSettings {
  const o = object(v, field);
  onlyKeys(o, field, ['market', 'stalenessMs', 'maxDeviationBps', 'minSources', 'sources']);
  const symbol = str(o, 'market', `${field}.market`, /^\S+$/, 'a market symbol');
  const m = known.get(symbol);
  if (!m) throw new OracleConfigError(`${field}.market`, `must be a configured market (${[...known.keys()].join(', ')}), got "${symbol}"; a market listed at run time gets its sources with PUT /operator/markets/:symbol/index-source`);
  if (!Array.isArray(o.sources) || o.sources.length === 0) throw new OracleConfigError(`${field}.sources`, 'must be a non-empty array');
  const sources = o.sources.map((s, i) => source(s, `${field}.sources[${i}]`));
  const keys = sources.map((s) => (s.kind === 'mqtt' ? `mqtt ${s.topic}` : `${s.venue} ${s.symbol}`));
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i) throw new OracleConfigError(`${field}.sources[${i}]`, `repeats ${k}`);
  });
  return marketRules(o, field, m, sources);
}

/** A market's settings from its sources and the rules o gives (minSources, stalenessMs, maxDeviationBps, or the defaults). */
function marketRules(o: Json, field: string, m: MarketConfig, sources: readonly SourceSettings[]): MarketIndexSettings {
  const at = (k: string) => (field === '' ? k : `${field}.${k}`);
  if (sources.length > 255) throw new OracleConfigError(at('sources'), 'must hold at most 255 sources');
  const minSources = int(o, 'minSources', at('minSources'), 1, sources.length, DEFAULTS.minSources);
  const stalenessMs = int(o, 'stalenessMs', at('stalenessMs'), 100, 3_600_000, DEFAULTS.stalenessMs);
  const maxDeviationBps = int(o, 'maxDeviationBps', at('maxDeviationBps'), 1, 10_000, DEFAULTS.maxDeviationBps);
  return {
    marketId: m.marketId,
    symbol: m.symbol,
    tick: positiveDecimal(m.tickSize, `${m.symbol} tickSize`),
    params: { stalenessUs: stalenessMs * 1000, maxDeviationRate: (BigInt(maxDeviationBps) * RATE_ONE) / 10_000n, minSources },
    sources,
  };
}

/** The keys of an operator's venue sources (PUT /operator/markets/:symbol/index-source): besides "source". */
export const VENUE_SOURCE_KEYS = ['sources', 'minSources', 'stalenessMs', 'maxDeviationBps'] as const;

/**
 * An operator's choice of a market's sources at run time, from the venues this configuration has:
 * `{"sources": {"binance:SOLUSDT": 1, "okx:SOL-USDT": 1}, "minSources": 2}` (each key a configured venue and
 * the venue's symbol for the market, each value an integer weight; minSources, stalenessMs and
 * maxDeviationBps as in the file, with its defaults). Checked as the file is: an OracleConfigError names
 * the field (`sources["okx:SOL-USDT"]`, `minSources`). Any market, configured or listed at run time.
 */
export function venueSourcesOf(body: Record<string, unknown>, config: OracleConfig, m: MarketConfig): MarketIndexSettings {
  onlyKeys(body, '', VENUE_SOURCE_KEYS);
  const given = body.sources;
  if (typeof given !== 'object' || given === null || Array.isArray(given) || Object.keys(given).length === 0) throw new OracleConfigError('sources', 'must be a non-empty object of "venue:SYMBOL" to integer weight');
  const configured = [...config.venues.keys()];
  const sources = Object.entries(given as Json).map(([key, w]): SourceSettings => {
    const field = `sources[${JSON.stringify(key)}]`;
    const colon = key.indexOf(':');
    if (colon < 0) throw new OracleConfigError(field, 'must be "venue:SYMBOL" (a venue of the --oracle file and its symbol for this market)');
    const venue = key.slice(0, colon);
    if (!config.venues.has(venue)) throw new OracleConfigError(field, `must name a venue the --oracle file configures (${configured.join(', ')}) as "venue:SYMBOL", got venue ${JSON.stringify(venue)}`);
    return source({ venue, symbol: key.slice(colon + 1), weight: w }, field);
  });
  return marketRules(body, '', m, sources);
}

/** Validates a parsed config against the exchange's markets. */
export function parseOracleConfig(json: unknown, markets: readonly MarketConfig[]): OracleConfig {
  const o = object(json, '(file)');
  onlyKeys(o, '', ['version', 'cadenceMs', 'collectMs', 'venues', 'markets']);
  if (o.version !== 1) throw new OracleConfigError('version', `must be 1, got ${JSON.stringify(o.version)}`);
  const cadenceMs = int(o, 'cadenceMs', 'cadenceMs', 100, 3_600_000, DEFAULTS.cadenceMs);
  const collectMs = int(o, 'collectMs', 'collectMs', 1, cadenceMs - 1, Math.min(DEFAULTS.collectMs, cadenceMs - 1));
  const venuesJson = object(o.venues ?? {}, 'venues');
  for (const name of Object.keys(venuesJson)) if (!VENUE_ADAPTERS.has(name)) throw new OracleConfigError(`venues.${name}`, `is not a known venue (${[...VENUE_ADAPTERS.keys()].join(', ')})`);
  const marketsJson = o.markets ?? [];
  if (!Array.isArray(marketsJson)) throw new OracleConfigError('markets', 'must be an array');
  if (marketsJson.length === 0 && Object.keys(venuesJson).length === 0) throw new OracleConfigError('markets', 'must name a market, or venues must name a venue (for the markets an operator prices at run time)');
  const known = new Map(markets.map((m) => [m.symbol, m]));
  const list = marketsJson.map((m, i) => market(m, `markets[${i}]`, known));
  list.forEach((m, i) => {
    if (list.findIndex((x) => x.marketId === m.marketId) !== i) throw new OracleConfigError(`markets[${i}].market`, `repeats ${m.symbol}`);
  });
  // Every venue the file names, used by its markets or not: an operator's run-time sources may use any of them.
  const used = new Set([...Object.keys(venuesJson), ...list.flatMap((m) => m.sources.flatMap((s) => (s.kind === 'http' ? [s.venue] : [])))]);
  const venues = new Map([...used].sort().map((name) => [name, venueSettings(name, venuesJson[name], `venues.${name}`)]));
  return { cadenceMs, collectMs, venues, markets: list };
}

/** Reads and validates a config file; any problem is an OracleConfigError naming the file and field. */
export function loadOracleConfig(path: string, markets: readonly MarketConfig[]): OracleConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (e) {
    throw new OracleConfigError('(file)', `${path} is not readable JSON: ${(e as Error).message}`);
  }
  try {
    return parseOracleConfig(json, markets);
  } catch (e) {
    if (e instanceof OracleConfigError) throw new OracleConfigError(e.field, `${e.message.replace(`oracle config: ${e.field} `, '')} (in ${path})`);
    throw e;
  }
}
