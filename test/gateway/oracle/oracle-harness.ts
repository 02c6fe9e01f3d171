// Four (or five) venues on 127.0.0.1 quoting BTC-PERP in their own formats, and an oracle polling them.
// The oracle's clock is the gateway clock plus an offset a test can move (to age every price at once);
// venue timestamps follow the same clock.

import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { nowUs } from '../../../gateway/clock.js';
import { parseOracleConfig } from '../../../gateway/oracle/config.js';
import { IndexOracle } from '../../../gateway/oracle/oracle.js';
import { venueBody, type Quote, type VenueName } from '../../support/venue-bodies.js';
import { VenueServer } from '../../support/venue-server.js';

const SYMBOLS: Record<VenueName, string> = { binance: 'BTCUSDT', coinbase: 'BTC-USD', kraken: 'XBTUSD', okx: 'BTC-USDT', bybit: 'BTCUSDT' };

export interface HarnessOptions {
  venues?: readonly VenueName[];
  timeoutMs?: number;
  collectMs?: number;
  retries?: number;
  cooldownAfter?: number;
  minSources?: number;
  extra?: Record<string, unknown>[];
}

export class OracleHarness {
  offsetUs = 0;
  readonly clock = () => nowUs() + this.offsetUs;

  private constructor(
    readonly servers: Map<VenueName, VenueServer>,
    readonly oracle: IndexOracle,
  ) {}

  static async start(o: HarnessOptions = {}): Promise<OracleHarness> {
    const venues = o.venues ?? (['binance', 'coinbase', 'okx', 'bybit'] as const);
    const servers = new Map<VenueName, VenueServer>();
    for (const v of venues) servers.set(v, await VenueServer.start());
    const venueJson = Object.fromEntries(
      venues.map((v) => [
        v,
        { baseUrl: servers.get(v)!.url, timeoutMs: o.timeoutMs ?? 2_000, retries: o.retries ?? 2, retryBaseMs: 2, retryMaxMs: 10, cooldownAfter: o.cooldownAfter ?? 100, cooldownBaseMs: 60_000, cooldownMaxMs: 60_000 },
      ]),
    );
    const config = OracleHarness.closingOnError(servers, () => parseOracleConfig(
      {
        version: 1,
        cadenceMs: 5_000,
        collectMs: o.collectMs ?? 1_000,
        venues: venueJson,
        markets: [{ market: 'BTC-PERP', minSources: o.minSources ?? 3, sources: [...venues.map((v) => ({ venue: v, symbol: SYMBOLS[v] })), ...(o.extra ?? [])] }],
      },
      DEFAULT_MARKETS,
    ));
    const h: OracleHarness = new OracleHarness(servers, undefined as unknown as IndexOracle);
    (h as { oracle: IndexOracle }).oracle = new IndexOracle({ config, markets: DEFAULT_MARKETS, clock: h.clock, random: () => 0.5 });
    return h;
  }

  /** A harness that cannot be built must not leave its servers holding the test process open. */
  private static closingOnError<T>(servers: Map<VenueName, VenueServer>, f: () => T): T {
    try {
      return f();
    } catch (e) {
      for (const s of servers.values()) void s.close();
      throw e;
    }
  }

  server(v: VenueName): VenueServer {
    return this.servers.get(v)!;
  }

  /** Venue time now on the oracle's clock, ms. */
  nowMs(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** The venue quotes bid/ask (its time now unless given). */
  quote(v: VenueName, bid: string, ask: string, q: Partial<Quote> = {}): void {
    this.server(v).behaviour = { body: venueBody(v, { bid, ask, timeMs: this.nowMs(), ...q }) };
  }

  /** The four default venues quoting around 60,000 (mids 60,000.1, 60,001.1, 59,999.1, 60,002.1). */
  quoteAll(): void {
    this.quote('binance', '60000.0', '60000.2');
    this.quote('coinbase', '60001.0', '60001.2');
    this.quote('okx', '59999.0', '59999.2');
    this.quote('bybit', '60002.0', '60002.2');
  }

  async close(): Promise<void> {
    await this.oracle.stop();
    await Promise.all([...this.servers.values()].map((s) => s.close()));
  }
}
