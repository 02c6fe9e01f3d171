// The demo's traders: market makers and takers as real WebSocket clients of the gateway (the SDK in
// gateway/client/), each with its own account and Ed25519 key created through the gateway's key
// registry and funded by an operator deposit. They trade as honest participants would, so that
// surveillance (docs/SURVEILLANCE.md) has nothing to say about them:
// - Makers keep a two-sided ladder of post-only quotes around the index, LEVELS a side, each sized
//   between half and all of the market's quote size, refilling the side that was traded first and
//   otherwise moving their oldest quote to the index with one amend (a replace, not a cancel and a new
//   order). Random sides and sizes left a maker's ladder one-sided once takers swept its other side, and
//   the pull before a swing then cancelled that stack right after the trade: the pattern layering is.
// - Takers cross the spread with IOC limit orders, working a parent order in one direction for 20 to 40
//   seconds, then one the other way, never turning round in a market within REVERSE_HOLD_MS of their
//   last order there.
//   A coin flip per order swept a thin book one way and traded back within the second: the pattern
//   momentum ignition is. Every second taker is thinly funded and chases the last index swing up to
//   its leverage limit, so the swing back liquidates it.
// The makers pull their quotes from a market before its swing (pull), so the gap leaves no book at the
// old price to close the liquidated positions in, and ADL closes them. Actions are offered open loop at a
// fixed rate, round-robin over the bots, seeded; actions the process could not offer in time are dropped,
// not sent in a burst (DemoPacer, pacer.ts).

import { below, rng, type Rng } from '../../engine/sim/rng.js';
import { PerpxClient } from '../client/client.js';
import { generateEd25519 } from '../client/keys.js';
import { GatewayError, type ApiCredentials, type NewOrder, type UserEvent } from '../client/types.js';
import type { Gateway } from '../gateway.js';
import type { SimIndex } from './sim-index.js';

const USDT = 1_000_000n;
/** What a thin taker is funded with, and funded with again after a liquidation took it all. */
const THIN_USDT = 300n;
/** A maker's quotes per side per market. */
const LEVELS = 10;
/** How long a taker keeps from trading the other way in a market after its last order there (ms). */
const REVERSE_HOLD_MS = 12_000;
/** How long a taker's parent order lasts: from PARENT_MS to twice that. */
const PARENT_MS = 20_000;

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
  /** Open quotes per market: [bids, asks], each oldest first. */
  readonly quotes: Map<number, [number[], number[]]>;
  /**
   * A taker's parent order per market: its direction (1 buy, -1 sell) and end (ms), and the direction
   * and time of the taker's last order there.
   */
  readonly parents: Map<number, { direction: number; untilMs: number; traded: number; lastMs: number }>;
  /** A thin taker whose liquidation completed (its user stream said so): funded again at the next swing. */
  liquidated: boolean;
}

export interface BotTally {
  sent: number;
  answered: number;
  /** Fills the makers were told of (every trade has a maker). */
  makerFills: number;
  refused: Map<string, number>;
}

const ENDED = new Set(['filled', 'cancelled', 'expired']);

/**
 * Keeps a maker's ladder as its user stream tells it: an order joins its side when it is first reported
 * open and leaves when it is filled or cancelled. (A quote an IOC filled at once can be reported ended
 * before the placement is answered: a ladder kept from the answers held it for good.)
 */
function track(bot: Bot, e: UserEvent): void {
  const market = e['market'] as number;
  const orderId = e['orderId'] as number;
  const ladder = bot.quotes.get(market) ?? [[], []];
  bot.quotes.set(market, ladder);
  const quotes = ladder[e['side'] === 'buy' ? 0 : 1];
  const i = quotes.indexOf(orderId);
  if (ENDED.has(e['status'] as string)) {
    if (i >= 0) quotes.splice(i, 1);
  } else if (i < 0) quotes.push(orderId);
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
    private readonly r: Rng;
  private cursor = 0;
  /** Taker parents begun: the first ones alternate in pairs (a thin and a funded taker each) buy, sell. */
  private takers = 0;

  private constructor(
    readonly tally: BotTally,
    private readonly o: BotsOptions,
    private readonly bots: readonly Bot[],
    /** An account for the newcomer, printed with its key: not traded by the bots. */
    readonly guest: DemoAccount,
  ) {
    this.r = rng(o.seed);
  }

  static async start(o: BotsOptions): Promise<DemoBots> {
    const bots: Bot[] = [];
    const tally: BotTally = { sent: 0, answered: 0, makerFills: 0, refused: new Map() };
    const makers = o.makers ?? 4;
    const takers = o.takers ?? 12;
    for (let i = 0; i < makers + takers; i++) {
      const kind = i < makers ? 'maker' : 'taker';
      const thin = kind === 'taker' && (i - makers) % 2 === 0;
      const a = await account(o.gateway, kind === 'maker' ? 10_000_000n : thin ? THIN_USDT : 10_000_000n, `demo ${kind} ${i}`);
      const client = await PerpxClient.connect(o.url);
      const bot: Bot = { kind, accountId: a.accountId, thin, client, quotes: new Map(), parents: new Map(), liquidated: false };
      if (thin) client.on('user', (e) => (bot.liquidated ||= e.kind === 'liquidation' && e['step'] === 'COMPLETED'));
      if (kind === 'maker') client.on('user', (e) => (e.kind === 'order' ? track(bot, e) : e.kind === 'fill' && tally.makerFills++));
      await client.login(a.creds);
      bots.push(bot);
    }
    const g = await account(o.gateway, 10_000n, 'demo guest');
    const guest = { accountId: g.accountId, keyId: g.creds.keyId, secretHex: g.secretHex, usdt: 10_000n };
    return new DemoBots(tally, o, bots, guest);
  }

  /** Offers n actions now, round-robin over the bots (answers come later; nothing waits). */
  act(n: number): void {
    for (let i = 0; i < n; i++) {
      const bot = this.bots[this.cursor++ % this.bots.length]!;
      if (bot.client.closed) continue;
      const markets = this.o.index.markets;
      const first = below(this.r, markets.length);
      if (bot.kind === 'maker') this.quote(bot, markets[first]!.market.marketId);
      // A taker holding off a market (take) trades in the next one instead, if it may.
      else for (let k = 0; k < markets.length && !this.take(bot, markets[(first + k) % markets.length]!.market.marketId); k++);
    }
  }

  private lots(marketId: number, which: 'quote' | 'take'): number {
    const max = this.o.maxLots?.get(marketId)?.[which] ?? (which === 'quote' ? 200 : 50);
    // A maker quotes sizes alike (a ladder of dust on one side is not two-sided); a taker any size.
    return which === 'quote' ? max - below(this.r, Math.ceil(max / 2)) : 1 + below(this.r, max);
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
      this.send(bot.client.cancelAll(market));
    }
  }

  /**
   * One quote action: a new quote on the side with fewer (the side takers traded away is refilled first),
   * else the oldest quote of one side moved to the index by an amend, one message where a cancel and a
   * new order were two.
   */
  private quote(bot: Bot, market: number): void {
    if (this.o.index.swingPending(market)) return;
    const mid = this.o.index.midOf(market);
    const rung = this.o.index.rungOf(market);
    const ladder = bot.quotes.get(market) ?? [[], []];
    bot.quotes.set(market, ladder);
    const [bids, asks] = ladder;
    const buy = bids.length !== asks.length ? bids.length < asks.length : below(this.r, 2) === 0;
    const quotes = buy ? bids : asks;
    const price = buy ? mid - (1 + below(this.r, LEVELS)) * rung : mid + (1 + below(this.r, LEVELS)) * rung;
    if (quotes.length >= LEVELS) {
      const orderId = quotes.shift()!;
      quotes.push(orderId);
      this.send(bot.client.amend({ market, orderId, price }));
      return;
    }
    const order: NewOrder = { market, side: buy ? 'buy' : 'sell', type: 'limit', tif: 'postOnly', price, qty: this.lots(market, 'quote') };
    this.send(bot.client.place(order));
  }

  /**
   * One order of the taker's parent in this market, which lasts PARENT_MS to twice that and then gives way
   * to one the other way (a thin taker's direction is the last swing's); false, sending nothing, while
   * that would turn round within REVERSE_HOLD_MS of the taker's last order there.
   */
  private take(bot: Bot, market: number): boolean {
    const nowMs = performance.now();
    // The takers start half buying, half selling, their first parents of random lengths: the flow is
    // two-sided, as the makers' ladders are, and the takers do not all turn round at once.
    const p = bot.parents.get(market) ?? { direction: this.takers++ % 4 < 2 ? 1 : -1, untilMs: nowMs + below(this.r, 2 * PARENT_MS), traded: 0, lastMs: 0 };
    bot.parents.set(market, p);
    if (nowMs >= p.untilMs) {
      p.direction = -p.direction;
      p.untilMs = Math.max(nowMs, p.lastMs + REVERSE_HOLD_MS) + PARENT_MS + below(this.r, PARENT_MS);
    }
    const direction = (bot.thin && this.o.index.lastSwingOf(market)) || p.direction;
    if (direction !== p.traded && p.traded !== 0 && nowMs - p.lastMs < REVERSE_HOLD_MS) return false;
    p.traded = direction;
    p.lastMs = nowMs;
    const mid = this.o.index.midOf(market);
    const reach = 20 * this.o.index.rungOf(market);
    const buy = direction > 0;
    this.send(bot.client.place({ market, side: buy ? 'buy' : 'sell', type: 'limit', tif: 'ioc', price: buy ? mid + reach : mid - reach, qty: this.lots(market, 'take') }));
    return true;
  }

  private send(p: Promise<unknown>): void {
    this.tally.sent++;
    p.then(
      () => this.tally.answered++,
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
