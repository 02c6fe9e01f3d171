// The demo's traders: market makers and takers as real WebSocket clients of the gateway (the SDK in
// gateway/client/), each with its own account and Ed25519 key created through the gateway's key
// registry and funded by an operator deposit. Makers keep ladders of post-only quotes around the index,
// replacing their oldest quote; takers cross the spread with IOC limit orders. Every second taker is
// thinly funded and chases the last index swing up to its leverage limit, so the swing back liquidates
// it; the makers pull their quotes from a market before its swing (pull), so the gap leaves no book at
// the old price to close it in, and ADL closes it. Actions are offered open loop at a fixed rate,
// round-robin over the bots, seeded.

import { below, rng, type Rng } from '../../engine/sim/rng.js';
import { PerpxClient } from '../client/client.js';
import { generateEd25519 } from '../client/keys.js';
import { GatewayError, type ApiCredentials, type NewOrder } from '../client/types.js';
import type { Gateway } from '../gateway.js';
import type { SimIndex } from './sim-index.js';

const USDT = 1_000_000n;
/** What a thin taker is funded with, and funded with again after a liquidation took it all. */
const THIN_USDT = 300n;

export interface BotsOptions {
  readonly url: string;
  readonly gateway: Gateway;
  readonly index: SimIndex;
  readonly seed: number;
  readonly makers?: number;
  readonly takers?: number;
  /** Per market: most lots a maker quotes and a taker takes at once. */
  readonly maxLots?: ReadonlyMap<number, { quote: number; take: number }>;
}

export interface DemoAccount {
  readonly accountId: number;
  readonly keyId: string;
  /** The Ed25519 seed, hex: what a client logs in with. */
  readonly secretHex: string;
  readonly usdt: bigint;
}

interface Bot {
  readonly kind: 'maker' | 'taker';
  readonly accountId: number;
  /** Thinly funded: it chases the last swing at its leverage limit, and the swing back liquidates it. */
  readonly thin: boolean;
  readonly client: PerpxClient;
  /** Open quotes per market, oldest first. */
  readonly quotes: Map<number, number[]>;
  /** A thin taker whose liquidation completed (its user stream said so): funded again at the next swing. */
  liquidated: boolean;
}

export interface BotTally {
  sent: number;
  answered: number;
  refused: Map<string, number>;
}

async function account(gateway: Gateway, usdt: bigint, label: string): Promise<{ accountId: number; creds: ApiCredentials; secretHex: string }> {
  const accountId = await gateway.keys.createAccount('demo', label);
  const pair = generateEd25519();
  const { keyId } = await gateway.keys.createKey('demo', { accountId, alg: 'ed25519', publicKey: pair.publicKey, scopes: ['read', 'trade'] });
  const a = await gateway.operatorDeposit('demo', accountId, usdt * USDT);
  if (!a.ok) throw new Error(`demo deposit for account ${accountId} refused (code ${a.code})`);
  return { accountId, creds: { keyId, alg: 'ed25519', secret: pair.seed }, secretHex: Buffer.from(pair.seed).toString('hex') };
}

export class DemoBots {
  readonly tally: BotTally = { sent: 0, answered: 0, refused: new Map() };
  private readonly r: Rng;
  private cursor = 0;

  private constructor(
    private readonly o: BotsOptions,
    private readonly bots: readonly Bot[],
    /** An account for the newcomer, printed with its key: not traded by the bots. */
    readonly guest: DemoAccount,
  ) {
    this.r = rng(o.seed);
  }

  static async start(o: BotsOptions): Promise<DemoBots> {
    const bots: Bot[] = [];
    const makers = o.makers ?? 4;
    const takers = o.takers ?? 12;
    for (let i = 0; i < makers + takers; i++) {
      const kind = i < makers ? 'maker' : 'taker';
      const thin = kind === 'taker' && (i - makers) % 2 === 0;
      const a = await account(o.gateway, kind === 'maker' ? 10_000_000n : thin ? THIN_USDT : 100_000n, `demo ${kind} ${i}`);
      const client = await PerpxClient.connect(o.url);
      const bot: Bot = { kind, accountId: a.accountId, thin, client, quotes: new Map(), liquidated: false };
      if (thin) client.on('user', (e) => (bot.liquidated ||= e.kind === 'liquidation' && e['step'] === 'COMPLETED'));
      await client.login(a.creds);
      bots.push(bot);
    }
    const g = await account(o.gateway, 10_000n, 'demo guest');
    const guest = { accountId: g.accountId, keyId: g.creds.keyId, secretHex: g.secretHex, usdt: 10_000n };
    return new DemoBots(o, bots, guest);
  }

  /** Offers n actions now, round-robin over the bots (answers come later; nothing waits). */
  act(n: number): void {
    for (let i = 0; i < n; i++) {
      const bot = this.bots[this.cursor++ % this.bots.length]!;
      if (bot.client.closed) continue;
      const m = this.o.index.markets[below(this.r, this.o.index.markets.length)]!;
      if (bot.kind === 'maker') this.quote(bot, m.market.marketId);
      else this.take(bot, m.market.marketId);
    }
  }

  private lots(marketId: number, which: 'quote' | 'take'): number {
    const max = this.o.maxLots?.get(marketId)?.[which] ?? (which === 'quote' ? 200 : 50);
    return 1 + below(this.r, max);
  }

  /**
   * Every maker cancels its quotes in a market whose swing has just been announced (the next second's
   * index tick carries it), and quotes there again only once it is sent: market makers watch the venues
   * an index lags and pull their quotes before a gap. So the book the gap leaves is empty, not a ladder
   * at the old price that closes the liquidated positions above their bankruptcy price (a surplus for
   * the insurance fund, where ADL was rare): what the book cannot take goes to ADL. A thin taker that a
   * liquidation left with nothing (ADL closes at its bankruptcy price) is funded again, as a trader who
   * comes back, so that later swings liquidate it again.
   */
  pull(market: number): void {
    for (const bot of this.bots) {
      if (bot.liquidated) {
        bot.liquidated = false;
        void this.o.gateway.operatorDeposit('demo', bot.accountId, THIN_USDT * USDT).catch(() => {});
      }
      if (bot.kind !== 'maker' || bot.client.closed) continue;
      // A fresh list: quotes placed before the cancel-all and acknowledged after it go to the old one.
      bot.quotes.set(market, []);
      this.send(bot.client.cancelAll(market));
    }
  }

  private quote(bot: Bot, market: number): void {
    if (this.o.index.swingPending(market)) return;
    const mid = this.o.index.midOf(market);
    const rung = this.o.index.rungOf(market);
    const quotes = bot.quotes.get(market) ?? [];
    bot.quotes.set(market, quotes);
    if (quotes.length >= 20) {
      const orderId = quotes.shift()!;
      this.send(bot.client.cancel({ market, orderId }));
    }
    const buy = below(this.r, 2) === 0;
    const distance = (1 + below(this.r, 10)) * rung;
    const order: NewOrder = { market, side: buy ? 'buy' : 'sell', type: 'limit', tif: 'postOnly', price: buy ? mid - distance : mid + distance, qty: this.lots(market, 'quote') };
    this.send(bot.client.place(order), (p) => quotes.push(p.orderId));
  }

  private take(bot: Bot, market: number): void {
    const mid = this.o.index.midOf(market);
    const reach = 20 * this.o.index.rungOf(market);
    const trend = bot.thin ? this.o.index.lastSwingOf(market) : 0;
    const buy = trend !== 0 ? trend > 0 : below(this.r, 2) === 0;
    this.send(bot.client.place({ market, side: buy ? 'buy' : 'sell', type: 'limit', tif: 'ioc', price: buy ? mid + reach : mid - reach, qty: this.lots(market, 'take') }));
  }

  private send<T>(p: Promise<T>, then?: (v: T) => void): void {
    this.tally.sent++;
    p.then(
      (v) => {
        this.tally.answered++;
        then?.(v);
      },
      (e: unknown) => {
        this.tally.answered++;
        const name = e instanceof GatewayError ? e.error.name : 'CLIENT_ERROR';
        this.tally.refused.set(name, (this.tally.refused.get(name) ?? 0) + 1);
      },
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.bots.map((b) => b.client.close().catch(() => {})));
  }
}
