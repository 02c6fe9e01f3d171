// Test stand-ins around the LiquidationEngine, until the lead's in-process harness drives it end to end:
//
//   RecordingEffects  a RiskEffects that records every call as plain values (so two runs compare with
//                     deepEqual, I10), keeps the commands for the market in order, moves insurance atoms
//                     as the core would, and checks I5/I6/I4 at the moment each call is made.
//   MarketSim         the market shards and the core's settlement in one: it delivers the commands in
//                     order; a liquidation IOC walks a scripted book best-first up to its limit (clipped to
//                     the position, as reduce-only is); a sweep plans its walk with the market shard's own
//                     planner (engine/shard/sweep-plan.ts) and executes as that IOC; a Deleverage executes as one trade (clipped) or is
//                     rejected; each fill is applied to PositionState with risk/position.ts exactly as
//                     settlement does (realized PnL into WB or M_iso, no fee for liquidation and ADL fills),
//                     then the engine hears onFill / onOrderEnded as the core would call them.
//
// Makers of book fills live on another risk shard: their side of each trade is not in this state.

import { Code } from '../../../engine/codes.js';
import { OrderOrigin, Side } from '../../../engine/enums.js';
import type { MarketSpec } from '../../../engine/market/spec.js';
import { planSweep } from '../../../engine/shard/sweep-plan.js';
import { applyFill } from '../../../risk/position.js';
import { DEFAULT_POOL, riskMarket, type RiskPoolConfig } from '../../../risk/shard/config.js';
import { LiquidationStep } from '../../../risk/shard/events.js';
import { LiquidationEngine } from '../../../risk/shard/liquidation-engine.js';
import { evaluateScope } from '../../../risk/shard/liquidation-scope.js';
import { CROSS_SCOPE, SYSTEM_ORDER_ID_BASE, type RiskEffects } from '../../../risk/shard/seams.js';
import { AccountState, MarginMode, MarketRiskState, OpenOrderState, PositionState, RiskState } from '../../../risk/shard/state.js';
import { BTC, ETH } from '../markets.js';

export const BTC_ID = BTC.marketId;
export const ETH_ID = ETH.marketId;

const STEP_NAMES = new Map<number, string>(Object.entries(LiquidationStep).map(([k, v]) => [v, k]));

export type Call = readonly unknown[];

type Command =
  | { readonly kind: 'cancelAll'; readonly accountId: number; readonly marketId: number }
  | { readonly kind: 'order'; readonly orderId: number; readonly accountId: number; readonly marketId: number; readonly side: Side; readonly limitTicks: bigint }
  | {
      readonly kind: 'sweep';
      readonly orderId: number;
      readonly accountId: number;
      readonly marketId: number;
      readonly side: Side;
      readonly limitTicks: bigint;
      readonly bankruptcyPriceTicks: bigint;
      readonly budgetAtoms: bigint;
    }
  | {
      readonly kind: 'deleverage';
      readonly id: number;
      readonly liquidated: number;
      readonly counterparty: number;
      readonly marketId: number;
      readonly side: Side;
      readonly qtyLots: bigint;
      readonly priceTicks: bigint;
    };

export interface Level {
  readonly priceTicks: bigint;
  qtyLots: bigint;
}

export function makeState(pool: Partial<RiskPoolConfig> = {}, insuranceAtoms = 0n): RiskState {
  const state = new RiskState(0, 1, { ...DEFAULT_POOL, ...pool });
  for (const spec of [BTC, ETH]) state.markets.set(spec.marketId, new MarketRiskState(spec, riskMarket(spec)));
  state.insuranceFundAtoms = insuranceAtoms;
  return state;
}

export function setMark(state: RiskState, marketId: number, markTicks: bigint): void {
  state.markets.get(marketId)!.markPriceTicks = markTicks;
}

export function addAccount(state: RiskState, id: number, walletAtoms = 0n): AccountState {
  const account = new AccountState(id);
  account.walletAtoms = walletAtoms;
  state.accounts.set(id, account);
  return account;
}

function positionOf(state: RiskState, accountId: number, marketId: number): PositionState {
  const account = state.accounts.get(accountId)!;
  let pos = account.positions.get(marketId);
  if (pos === undefined) {
    pos = new PositionState(accountId, marketId, 20n);
    account.positions.set(marketId, pos);
  }
  return pos;
}

/** A position opened at one entry price; isolated when isolatedMarginAtoms is given. */
export function openPosition(state: RiskState, accountId: number, spec: MarketSpec, qtyLots: bigint, entryTicks: bigint, isolatedMarginAtoms?: bigint): PositionState {
  const pos = positionOf(state, accountId, spec.marketId);
  pos.qtyLots = qtyLots;
  pos.entryCostAtoms = (qtyLots < 0n ? -qtyLots : qtyLots) * entryTicks * spec.atomsPerTickLot;
  if (isolatedMarginAtoms !== undefined) {
    pos.marginMode = MarginMode.ISOLATED;
    pos.isolatedMarginAtoms = isolatedMarginAtoms;
  }
  return pos;
}

export function addUserOrder(state: RiskState, accountId: number, marketId: number, orderId: number, side: Side, priceTicks: bigint, qtyLots: bigint): void {
  positionOf(state, accountId, marketId).orders.set(orderId, new OpenOrderState(orderId, 0, marketId, side, priceTicks, qtyLots, false, OrderOrigin.USER));
}

/** Equity of a scope at the current marks (CROSS_SCOPE or an isolated market). */
export function equityOf(state: RiskState, accountId: number, scopeMarketId: number): bigint {
  return evaluateScope(state, state.accounts.get(accountId)!, scopeMarketId)!.equityAtoms;
}

export class RecordingEffects implements RiskEffects {
  readonly calls: Call[] = [];
  readonly outbox: Command[] = [];
  /** Invariant breaches seen at call time (I4, I5, I6); a passing run leaves this empty. */
  readonly violations: string[] = [];
  /** Σ insurance paid out per liquidation id. */
  readonly paidByLiquidation = new Map<number, bigint>();
  /** The fund's budget per liquidation id, as last reserved (MarketSim records it). */
  readonly budgets = new Map<number, bigint>();
  /** Events that completed below zero after the fund paid their whole budget (ADL could not take the rest at BP). */
  readonly leftNegative: number[] = [];
  private nextId = SYSTEM_ORDER_ID_BASE + 1;

  constructor(private readonly state: RiskState) {}

  cancelAllOrders(accountId: number, marketId: number, reason: number, timeUs: number): void {
    this.calls.push(['cancelAllOrders', accountId, marketId, reason, timeUs]);
    this.outbox.push({ kind: 'cancelAll', accountId, marketId });
  }

  placeLiquidationOrder(accountId: number, marketId: number, side: Side, qtyLots: bigint, limitPriceTicks: bigint, timeUs: number): number {
    const orderId = this.nextId++;
    this.calls.push(['placeLiquidationOrder', accountId, marketId, side, qtyLots, limitPriceTicks, timeUs]);
    positionOf(this.state, accountId, marketId).orders.set(orderId, new OpenOrderState(orderId, 0, marketId, side, limitPriceTicks, qtyLots, true, OrderOrigin.LIQUIDATION));
    this.outbox.push({ kind: 'order', orderId, accountId, marketId, side, limitTicks: limitPriceTicks });
    return orderId;
  }

  sweepLiquidation(accountId: number, marketId: number, side: Side, qtyLots: bigint, limitPriceTicks: bigint, bankruptcyPriceTicks: bigint, budgetAtoms: bigint, timeUs: number): number {
    const orderId = this.nextId++;
    this.calls.push(['sweepLiquidation', accountId, marketId, side, qtyLots, limitPriceTicks, bankruptcyPriceTicks, budgetAtoms, timeUs]);
    positionOf(this.state, accountId, marketId).orders.set(orderId, new OpenOrderState(orderId, 0, marketId, side, limitPriceTicks, qtyLots, true, OrderOrigin.LIQUIDATION));
    this.outbox.push({ kind: 'sweep', orderId, accountId, marketId, side, limitTicks: limitPriceTicks, bankruptcyPriceTicks, budgetAtoms });
    return orderId;
  }

  deleverage(liquidated: number, counterparty: number, marketId: number, side: Side, qtyLots: bigint, priceTicks: bigint, timeUs: number): number {
    const id = this.nextId++;
    this.calls.push(['deleverage', liquidated, counterparty, marketId, side, qtyLots, priceTicks, timeUs]);
    // I6: only an opposite position in the same market, never the liquidated account itself.
    const mine = this.state.accounts.get(liquidated)!.positions.get(marketId)?.qtyLots ?? 0n;
    const theirs = this.state.accounts.get(counterparty)!.positions.get(marketId)?.qtyLots ?? 0n;
    if (counterparty === liquidated || mine === 0n || theirs === 0n || (mine > 0n) === (theirs > 0n)) this.violations.push(`I6: deleverage ${liquidated}→${counterparty}`);
    if ((side === Side.SELL) !== (mine > 0n)) this.violations.push(`I6: deleverage side ${side} against position ${mine}`);
    this.outbox.push({ kind: 'deleverage', id, liquidated, counterparty, marketId, side, qtyLots, priceTicks });
    return id;
  }

  transferInsurance(accountId: number, marketId: number, deltaToFundAtoms: bigint, reason: number, liquidationId: number, timeUs: number): void {
    this.calls.push(['transferInsurance', accountId, marketId, deltaToFundAtoms, reason, liquidationId, timeUs]);
    this.state.insuranceFundAtoms += deltaToFundAtoms;
    const account = this.state.accounts.get(accountId)!;
    if (marketId === CROSS_SCOPE) account.walletAtoms -= deltaToFundAtoms;
    else account.positions.get(marketId)!.isolatedMarginAtoms -= deltaToFundAtoms;
    if (this.state.insuranceFundAtoms < 0n) this.violations.push(`I5: fund ${this.state.insuranceFundAtoms} after ${deltaToFundAtoms}`);
    if (deltaToFundAtoms < 0n) {
      const paid = (this.paidByLiquidation.get(liquidationId) ?? 0n) - deltaToFundAtoms;
      this.paidByLiquidation.set(liquidationId, paid);
      if (paid > this.state.pool.insurancePerEventCapAtoms) this.violations.push(`I5: event ${liquidationId} paid ${paid} over the cap`);
    }
  }

  liquidationProgressed(accountId: number, marketId: number, liquidationId: number, step: number, qtyLots: bigint, priceTicks: bigint, timeUs: number, insuranceAtoms = 0n): void {
    this.calls.push(['progress', accountId, marketId, liquidationId, STEP_NAMES.get(step), qtyLots, priceTicks, insuranceAtoms, timeUs]);
    // I4: no scope ends the pipeline with negative equity, unless the fund paid the event's whole budget and
    // what is left is reported as the COMPLETED equity (an ADL counterparty could not bear the BP).
    if (step === LiquidationStep.COMPLETED && equityOf(this.state, accountId, marketId) < 0n) {
      const budget = this.budgets.get(liquidationId) ?? 0n;
      if ((this.paidByLiquidation.get(liquidationId) ?? 0n) === budget) this.leftNegative.push(liquidationId);
      else this.violations.push(`I4: scope ${accountId}/${marketId} ends below 0 with the fund's budget unspent`);
    }
  }

  adlExecuted(counterparty: number, marketId: number, liquidationId: number, liquidated: number, side: Side, qtyLots: bigint, priceTicks: bigint, timeUs: number): void {
    this.calls.push(['adlExecuted', counterparty, marketId, liquidationId, liquidated, side, qtyLots, priceTicks, timeUs]);
  }

  publishScope(accountId: number, marketId: number, timeUs: number): void {
    this.calls.push(['publishScope', accountId, marketId, timeUs]);
  }

  /** The progress steps in order, as names, optionally of one account. */
  steps(accountId?: number): string[] {
    return this.calls.filter((c) => c[0] === 'progress' && (accountId === undefined || c[1] === accountId)).map((c) => c[4] as string);
  }

  /** The recorded calls of one kind, without their leading name. */
  of(kind: string): Call[] {
    return this.calls.filter((c) => c[0] === kind).map((c) => c.slice(1));
  }
}

export class MarketSim {
  readonly effects: RecordingEffects;
  readonly engine: LiquidationEngine;
  /** Resting liquidity per market, best first: bids take a long's sale, asks a short's purchase. */
  readonly bids = new Map<number, Level[]>();
  readonly asks = new Map<number, Level[]>();
  /** Counterparties whose Deleverage the market rejects. */
  readonly rejectDeleverageFor = new Set<number>();
  timeUs = 1_000;

  constructor(readonly state: RiskState) {
    this.effects = new RecordingEffects(state);
    this.engine = new LiquidationEngine(state, this.effects, state.pool);
    const fund = this.engine.insuranceFund;
    const reserve = fund.reserve.bind(fund);
    fund.reserve = (liquidationId: number, needAtoms: bigint): bigint => {
      const budget = reserve(liquidationId, needAtoms);
      this.effects.budgets.set(liquidationId, budget);
      return budget;
    };
  }

  book(marketId: number, bids: [bigint, bigint][], asks: [bigint, bigint][] = []): void {
    this.bids.set(marketId, bids.map(([priceTicks, qtyLots]) => ({ priceTicks, qtyLots })));
    this.asks.set(marketId, asks.map(([priceTicks, qtyLots]) => ({ priceTicks, qtyLots })));
  }

  check(accountId: number, marketId: number): void {
    this.engine.check(accountId, marketId, this.tick());
    this.engine.afterRecord(this.tick(), 0, false);
  }

  /** Delivers the engine's commands and the market's answers, in order, until none is left. */
  deliver(maxCommands = 500): void {
    this.deliverNext(maxCommands);
    if (this.effects.outbox.length > 0) throw new Error('the pipeline did not settle within the command budget');
  }

  /**
   * Delivers up to `commands` of the engine's commands and the market's answers, in order; after each
   * command's answers, as after each record on the shard, the runs at a boundary take their steps.
   */
  deliverNext(commands: number): void {
    this.engine.afterRecord(this.tick(), 0, false);
    for (let n = 0; n < commands && this.effects.outbox.length > 0; n++) {
      const cmd = this.effects.outbox.shift()!;
      if (cmd.kind === 'cancelAll') this.cancelAll(cmd.accountId, cmd.marketId);
      else if (cmd.kind === 'order') this.execute(cmd.orderId, cmd.accountId, cmd.marketId, cmd.side, cmd.limitTicks);
      else if (cmd.kind === 'sweep') this.sweep(cmd);
      else this.deleverage(cmd);
      this.engine.afterRecord(this.tick(), 0, false);
    }
  }

  /** The core's settlement of one fill (risk/position.ts), without fee: liquidation and ADL fills pay none. */
  settle(accountId: number, marketId: number, signedQtyLots: bigint, priceTicks: bigint): void {
    const account = this.state.accounts.get(accountId)!;
    const pos = account.positions.get(marketId)!;
    const r = applyFill(pos, signedQtyLots, priceTicks, this.state.markets.get(marketId)!.atomsPerTickLot);
    pos.qtyLots = r.qtyLots;
    pos.entryCostAtoms = r.entryCostAtoms;
    pos.realizedPnlAtoms += r.realizedPnlAtoms;
    if (pos.marginMode === MarginMode.ISOLATED) pos.isolatedMarginAtoms += r.realizedPnlAtoms;
    else account.walletAtoms += r.realizedPnlAtoms;
  }

  private tick(): number {
    return (this.timeUs += 10);
  }

  private cancelAll(accountId: number, marketId: number): void {
    const pos = this.state.accounts.get(accountId)!.positions.get(marketId);
    if (pos === undefined) return;
    for (const id of [...pos.orders.keys()].sort((a, b) => a - b)) {
      pos.orders.delete(id);
      this.engine.onOrderEnded(accountId, marketId, id, Code.OK, this.tick());
    }
  }

  private execute(orderId: number, accountId: number, marketId: number, side: Side, limitTicks: bigint): void {
    const pos = this.state.accounts.get(accountId)!.positions.get(marketId)!;
    const order = pos.orders.get(orderId)!;
    const levels = (side === Side.SELL ? this.bids : this.asks).get(marketId) ?? [];
    for (const level of levels) {
      const position = pos.qtyLots < 0n ? -pos.qtyLots : pos.qtyLots;
      let take = order.remainingLots < position ? order.remainingLots : position;
      if (take === 0n) break;
      if (level.qtyLots === 0n) continue;
      if (side === Side.SELL ? level.priceTicks < limitTicks : level.priceTicks > limitTicks) break;
      if (level.qtyLots < take) take = level.qtyLots;
      level.qtyLots -= take;
      order.remainingLots -= take;
      const signed = side === Side.BUY ? take : -take;
      this.settle(accountId, marketId, signed, level.priceTicks);
      this.engine.onFill(accountId, marketId, orderId, OrderOrigin.LIQUIDATION, signed, level.priceTicks, this.tick());
    }
    pos.orders.delete(orderId);
    this.engine.onOrderEnded(accountId, marketId, orderId, Code.OK, this.tick());
  }

  /** The market shard's sweep against the scripted book: plan (within the limit), then the IOC of the plan. */
  private sweep(c: Extract<Command, { kind: 'sweep' }>): void {
    const pos = this.state.accounts.get(c.accountId)!.positions.get(c.marketId)!;
    const order = pos.orders.get(c.orderId)!;
    const held = pos.qtyLots < 0n ? -pos.qtyLots : pos.qtyLots;
    const levels = ((c.side === Side.SELL ? this.bids : this.asks).get(c.marketId) ?? []).filter((l) => l.qtyLots > 0n);
    const plan = planSweep(
      { side: c.side, qtyLots: order.remainingLots < held ? order.remainingLots : held, bankruptcyPriceTicks: c.bankruptcyPriceTicks, budgetAtoms: c.budgetAtoms, atomsPerTickLot: this.state.markets.get(c.marketId)!.atomsPerTickLot },
      levels.map((l) => ({ priceTicks: Number(l.priceTicks), qtyLots: Number(l.qtyLots) })),
      (p) => (c.side === Side.SELL ? BigInt(p) >= c.limitTicks : BigInt(p) <= c.limitTicks),
    );
    if (plan.lots === 0n) {
      pos.orders.delete(c.orderId);
      this.engine.onOrderEnded(c.accountId, c.marketId, c.orderId, Code.NO_LIQUIDITY, this.tick());
      return;
    }
    order.remainingLots = plan.lots;
    this.execute(c.orderId, c.accountId, c.marketId, c.side, plan.worstPriceTicks);
  }

  private deleverage(d: Extract<Command, { kind: 'deleverage' }>): void {
    const mine = this.state.accounts.get(d.liquidated)!.positions.get(d.marketId)!;
    const theirs = this.state.accounts.get(d.counterparty)!.positions.get(d.marketId);
    const abs = (v: bigint): bigint => (v < 0n ? -v : v);
    let qty = d.qtyLots;
    if (abs(mine.qtyLots) < qty) qty = abs(mine.qtyLots);
    if (theirs === undefined || abs(theirs.qtyLots) < qty) qty = theirs === undefined ? 0n : abs(theirs.qtyLots);
    if (this.rejectDeleverageFor.has(d.counterparty) || qty === 0n) {
      this.engine.onOrderEnded(d.liquidated, d.marketId, d.id, Code.REDUCE_ONLY_WOULD_NOT_REDUCE, this.tick());
      return;
    }
    const liquidatedSigned = d.side === Side.SELL ? -qty : qty;
    // Counterparty (maker) first: the engine must not depend on which side the core reports first.
    this.settle(d.counterparty, d.marketId, -liquidatedSigned, d.priceTicks);
    this.engine.onFill(d.counterparty, d.marketId, d.id, OrderOrigin.ADL, -liquidatedSigned, d.priceTicks, this.tick());
    this.settle(d.liquidated, d.marketId, liquidatedSigned, d.priceTicks);
    this.engine.onFill(d.liquidated, d.marketId, d.id, OrderOrigin.ADL, liquidatedSigned, d.priceTicks, this.tick());
  }
}
