// ActionDriver: turns a random World (exchange-actions.ts) into gateway commands on an ExchangeHarness,
// reading the exchange's state where an action is relative (the mark, a trader's open orders). The same
// world on a fresh driver gives the same commands: everything it reads is deterministic state.
//
// Accounts: 1 and 2 are market makers (20M USDT each, quoting post-only ladders around the mark), traders
// are 3, 4, ... Markets: BTC-PERP (1) and, with two markets, ETH-PERP (2). Funding every minute (the
// pricing config's interval), so a run of a few minutes crosses several funding times.
// Observers see every command before and after it is carried (the I7 and I11 checks need the state
// before the command).

import { CancelReason, OrderOrigin, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { RATE_PERCENT } from '../../risk/units.js';
import type { RiskPoolConfig } from '../../risk/shard/config.js';
import { MarginMode } from '../../risk/shard/state.js';
import { advanceTime, amend, cancel, cancelAll, indexTick, place, type Cmd } from '../support/commands.js';
import { adjustIsolatedMargin, deposit, setLeverage, setMarginMode, topUpInsuranceFund, withdraw } from '../support/risk-commands.js';
import type { Action, Population, World } from './exchange-actions.js';
import { ExchangeHarness } from './exchange-harness.js';

const MARKET_MAKERS = [1, 2] as const;
const FIRST_TRADER = 3;
const USDT = 1_000_000n;
const MM_DEPOSIT = 20_000_000n * USDT;
/** 2023-11-14 22:13:20 UTC: any plausible epoch time; the exchange only needs it to grow. */
const START_US = 1_700_000_000_000_000;
const STEP_US = 200_000;
const START_INDEX = new Map([
  [1, 300_000n], // BTC-PERP 30,000.0
  [2, 200_000n], // ETH-PERP 2,000.00
]);
const BPS = 10_000n;

export interface CommandObserver {
  before(d: ActionDriver, cmd: Cmd): void;
  after(d: ActionDriver, cmd: Cmd): void;
}

export class ActionDriver {
  readonly h: ExchangeHarness;
  readonly marketIds: number[];
  private readonly index = new Map<number, bigint>();
  private readonly observers: CommandObserver[] = [];

  /**
   * pool: overrides of the risk pool configuration (the snapshot tests shorten the monitor's and ADL
   * ranking's budgets); interleave: deliver records as threads would interleave them (ExchangeHarness).
   */
  constructor(readonly population: Population, pool: Partial<RiskPoolConfig> = {}, interleave?: (ready: number) => number) {
    const markets = DEFAULT_MARKETS.slice(0, population.markets);
    this.marketIds = markets.map((m) => m.marketId);
    this.h = new ExchangeHarness({
      markets,
      marketShards: population.marketShards,
      riskShards: population.riskShards,
      pool: { insurancePerEventCapAtoms: BigInt(population.perEventCapUsdt) * USDT, ...pool },
      pricing: { fundingIntervalUs: 60_000_000, sampleIntervalUs: 5_000_000, basisWindowUs: 30_000_000 },
      riskMarket: { liquidationBandRate: 10n * RATE_PERCENT },
      startUs: START_US,
      interleave,
    });
  }

  observe(o: CommandObserver): void {
    this.observers.push(o);
  }

  trader(i: number): number {
    return FIRST_TRADER + (i % this.population.traders.length);
  }

  marketOf(i: number): number {
    return this.marketIds[i % this.marketIds.length]!;
  }

  send(cmd: Cmd): void {
    for (const o of this.observers) o.before(this, cmd);
    this.h.send(cmd);
    for (const o of this.observers) o.after(this, cmd);
  }

  /** Funds everyone, sets modes and leverages, tops up the fund, prices the markets and quotes them. */
  setup(): void {
    const p = this.population;
    for (const mm of MARKET_MAKERS) this.send(deposit(mm, MM_DEPOSIT, this.h.requestId()));
    p.traders.forEach((t, i) => {
      const id = FIRST_TRADER + i;
      this.send(deposit(id, BigInt(t.depositUsdt) * USDT, this.h.requestId()));
      this.marketIds.forEach((m, k) => {
        if (t.isolated[k]) this.send(setMarginMode(id, MarginMode.ISOLATED, m));
        this.send(setLeverage(id, t.leverage[k]!, m));
      });
    });
    // One top-up per risk shard partition (account 1 routes to one shard, account 2 to the other).
    const shares = p.riskShards === 1 ? [1] : [1, 2];
    for (const via of shares) if (p.insuranceTopUpUsdt > 0) this.send(topUpInsuranceFund(via, (BigInt(p.insuranceTopUpUsdt) * USDT) / BigInt(shares.length), this.h.requestId()));
    for (const m of this.marketIds) this.moveIndex(m, 0n);
    for (const m of this.marketIds) for (const mm of MARKET_MAKERS) this.quote(mm, m, 3, 10, 400);
  }

  run(world: World): void {
    this.setup();
    for (const a of world.actions) this.apply(a);
  }

  apply(a: Action): void {
    this.h.nowUs += STEP_US;
    switch (a.kind) {
      case 'quote':
        return this.quote(MARKET_MAKERS[a.mm]!, this.marketOf(a.market), a.levels, a.stepBps, a.lots);
      case 'limit': {
        const m = this.marketOf(a.market);
        const id = this.trader(a.trader);
        const tif = a.tif === 'IOC' ? TimeInForce.IOC : a.tif === 'POST_ONLY' ? TimeInForce.POST_ONLY : TimeInForce.GTC;
        return this.order(id, m, a.buy, this.priceAt(m, a.offsetBps), this.lotsFor(a.trader, m, a.eighths), OrderType.LIMIT, tif, a.reduceOnly);
      }
      case 'market': {
        const m = this.marketOf(a.market);
        return this.order(this.trader(a.trader), m, a.buy, 0, this.lotsFor(a.trader, m, a.eighths), OrderType.MARKET, TimeInForce.IOC, a.reduceOnly);
      }
      case 'cancel': {
        const m = this.marketOf(a.market);
        const id = this.trader(a.trader);
        return this.send(cancel(id, this.openOrder(id, m, a.pick) ?? 1_000_000, 0, m));
      }
      case 'cancelAll':
        return this.send(cancelAll(this.trader(a.trader), CancelReason.CANCEL_ALL, this.marketOf(a.market)));
      case 'amend': {
        const m = this.marketOf(a.market);
        const id = this.trader(a.trader);
        return this.send(amend(id, this.openOrder(id, m, a.pick) ?? 1_000_000, this.priceAt(m, a.offsetBps), this.lotsFor(a.trader, m, a.eighths), m));
      }
      case 'index':
        return this.moveIndex(this.marketOf(a.market), BigInt(a.moveBps));
      case 'tick':
        this.h.nowUs += a.seconds * 1_000_000;
        return this.send(advanceTime(this.h.nowUs));
      case 'deposit':
        return this.send(deposit(this.trader(a.trader), BigInt(a.usdt) * USDT, this.h.requestId()));
      case 'withdraw':
        return this.send(withdraw(this.trader(a.trader), BigInt(a.usdt) * USDT, this.h.requestId()));
      case 'leverage':
        return this.send(setLeverage(this.trader(a.trader), a.leverage, this.marketOf(a.market)));
      case 'isolatedMargin':
        return this.send(adjustIsolatedMargin(this.trader(a.trader), BigInt(a.usdt === 0 ? 1 : a.usdt) * USDT, this.h.requestId(), this.marketOf(a.market)));
      case 'mode':
        return this.send(setMarginMode(this.trader(a.trader), a.isolated ? MarginMode.ISOLATED : MarginMode.CROSS, this.marketOf(a.market)));
    }
  }

  /** Cancels the market maker's quotes and lays a post-only ladder of `levels` a side around the mark. */
  quote(mm: number, marketId: number, levels: number, stepBps: number, lots: number): void {
    this.send(cancelAll(mm, CancelReason.CANCEL_ALL, marketId));
    for (let k = 1; k <= levels; k++) {
      const off = k * stepBps;
      this.order(mm, marketId, true, this.priceAt(marketId, -off), lots, OrderType.LIMIT, TimeInForce.POST_ONLY, false);
      this.order(mm, marketId, false, this.priceAt(marketId, off), lots, OrderType.LIMIT, TimeInForce.POST_ONLY, false);
    }
  }

  private order(accountId: number, marketId: number, buy: boolean, priceTicks: number, qtyLots: number, orderType: number, tif: number, reduceOnly: boolean): void {
    const orderId = this.h.orderId();
    if (reduceOnly) this.h.log.reduceOnlyOrders.add(orderId);
    this.send(place({ orderId, accountId, marketId, side: buy ? Side.BUY : Side.SELL, priceTicks, qtyLots, orderType, timeInForce: tif, reduceOnly, origin: OrderOrigin.USER }));
  }

  private moveIndex(marketId: number, moveBps: bigint): void {
    const was = this.index.get(marketId) ?? START_INDEX.get(marketId)!;
    const next = was + (was * moveBps) / BPS;
    const index = next < 1_000n ? 1_000n : next;
    this.index.set(marketId, index);
    this.h.nowUs += STEP_US;
    this.send(indexTick(Number(index), this.h.nowUs, marketId));
  }

  /** The mark moved by offsetBps, at least one tick. */
  private priceAt(marketId: number, offsetBps: number): number {
    const mark = this.h.markTicks(marketId);
    const p = mark + (mark * BigInt(offsetBps)) / BPS;
    return Number(p > 0n ? p : 1n);
  }

  /** eighths/8 of what the trader's deposit buys at its leverage in this market, at mark; at least one lot. */
  private lotsFor(traderIndex: number, marketId: number, eighths: number): number {
    const t = this.population.traders[traderIndex % this.population.traders.length]!;
    const k = this.marketIds.indexOf(marketId);
    const market = this.h.market(marketId);
    const notional = (BigInt(t.depositUsdt) * USDT * BigInt(t.leverage[k]!) * BigInt(eighths)) / 8n;
    const lots = notional / (market.markPriceTicks * market.atomsPerTickLot);
    const max = BigInt(market.spec.maxQtyLots);
    return Number(lots < 1n ? 1n : lots > max ? max : lots);
  }

  /** The pick-th (mod count) open user order of the account in the market, by id; undefined when none. */
  private openOrder(accountId: number, marketId: number, pick: number): number | undefined {
    const pos = this.h.account(accountId)?.positions.get(marketId);
    if (pos === undefined) return undefined;
    const ids = [...pos.orders.values()].filter((o) => o.origin === OrderOrigin.USER).map((o) => o.orderId).sort((a, b) => a - b);
    return ids.length === 0 ? undefined : ids[pick % ids.length];
  }
}
