// AccountViews: the read models the gateway keeps per account from the event stream it polls: open
// orders, ended orders and fills (the newest `historyCap` of each, in `history`: kept in the gateway's
// store, history.ts), positions, balances. Queries read
// them; every change becomes a user-stream event for the account's owner (user-stream.ts). The views see
// only what the exchange released, so they never show anything that is not durable.
//
// Each order lives under its owner's account, so a query can only ever see its own account's orders:
// another account's order looks exactly like one that does not exist.

import { CancelReason, OrderOrigin } from '../../engine/enums.js';
import type { OrderView as EngineOrderView } from '../../engine/book/types.js';
import type { DecodedRecord } from '../../engine/ring/layouts/index.js';
import { LiquidationStep, ScopeKind } from '../../risk/shard/events.js';
import { nameOf, ORDER_TYPES, SIDES, TIME_IN_FORCE, TRIGGER_SOURCES } from '../protocol/order-fields.js';
import type { UserEventKind } from '../protocol/messages.js';
import { AccountHistory } from './history.js';
import type { BalanceView, FillView, OrderView, PositionView } from './order-view.js';

/** Where apply() sends the user-stream events a record makes (the gateway's UserStreams). */
export interface EventSink {
  /** `body` is the read model's view itself: encoded at once, no reference kept. */
  publish(accountId: number, kind: UserEventKind, body: Readonly<object>): void;
  /** An `order` event: publish(accountId, 'order', o), from a template (two an order). */
  publishOrder(accountId: number, o: Readonly<OrderView>): void;
}

class AccountView {
  readonly open = new Map<number, OrderView>();
  readonly positions = new Map<number, PositionView>();
  balance: BalanceView | undefined;
}

const n = (r: DecodedRecord, f: string) => r[f] as number;
const b = (r: DecodedRecord, f: string) => r[f] as bigint;
const reasonName = (v: number) => nameOf(CancelReason, v);

/** What the gateway shows of an order the engine accepted (OrderAccepted's fields, or a shard's copy). */
function orderView(orderId: number, clientOrderId: number, market: number, side: number, orderType: number, tif: number, price: number, qty: number, remaining: number, trigger: number, triggerSource: number, reduceOnly: boolean, origin: number, timeUs: number): OrderView {
  const o: OrderView = {
    orderId,
    clientOrderId,
    market,
    side: nameOf(SIDES, side),
    type: nameOf(ORDER_TYPES, orderType),
    tif: nameOf(TIME_IN_FORCE, tif),
    price,
    qty,
    filled: qty - remaining,
    remaining,
    trigger,
    triggerBy: nameOf(TRIGGER_SOURCES, triggerSource),
    reduceOnly,
    status: trigger > 0 ? 'untriggered' : 'open',
    createdUs: timeUs,
    updatedUs: timeUs,
  };
  // Liquidation and ADL orders are the engine's, placed on the account's behalf: shown like any order.
  if (origin !== OrderOrigin.USER) o.type = `${o.type}:${nameOf(OrderOrigin, origin)}`;
  return o;
}

export class AccountViews {
  private readonly accounts = new Map<number, AccountView>();
  /** Ended orders and fills, per account. */
  readonly history: AccountHistory;

  constructor(historyCap = 1_000) {
    this.history = new AccountHistory(historyCap);
  }

  get(accountId: number): AccountView | undefined {
    return this.accounts.get(accountId);
  }

  of(accountId: number): AccountView {
    let v = this.accounts.get(accountId);
    if (v === undefined) this.accounts.set(accountId, (v = new AccountView()));
    return v;
  }

  openOrderCount(accountId: number): number {
    return this.accounts.get(accountId)?.open.size ?? 0;
  }

  /** The sink of the record being applied (none: the events are dropped, as when loading state). */
  private sink: EventSink | undefined;

  private emit(accountId: number, kind: UserEventKind, body: Readonly<object>): void {
    this.sink?.publish(accountId, kind, body);
  }

  /**
   * Applies one released record; the user-stream events it makes (often none) go to `sink`, in order,
   * as they are made: no array or event object per record.
   */
  apply(r: DecodedRecord, sink?: EventSink): void {
    this.sink = sink;
    switch (r.type) {
      case 'OrderAccepted':
        return this.accepted(r);
      case 'TradeExecuted':
        this.traded(r.accountId, n(r, 'takerOrderId'), n(r, 'takerRemainingLots'), r.timeUs);
        return this.traded(n(r, 'makerAccountId'), n(r, 'makerOrderId'), n(r, 'makerRemainingLots'), r.timeUs);
      case 'OrderCancelled':
        return this.ended(r, 'cancelled');
      case 'OrderExpired':
        return this.ended(r, 'expired');
      case 'OrderAmended':
        return this.amended(r);
      case 'OrderTriggered':
        return this.triggered(r);
      case 'FillSettled':
        return this.filled(r);
      case 'PositionUpdated':
        return this.position(r);
      case 'AccountUpdated':
        return this.balanceOf(r);
      case 'MarginCallIssued':
        return this.emit(r.accountId, 'marginCall', { market: r.marketId, scope: nameOf(ScopeKind, n(r, 'scope')), equity: b(r, 'equityAtoms'), maintenance: b(r, 'maintenanceAtoms'), marginRatio: b(r, 'marginRatioRate'), atUs: r.timeUs });
      case 'LiquidationProgressed':
        return this.emit(r.accountId, 'liquidation', { market: r.marketId, liquidationId: n(r, 'liquidationId'), step: nameOf(LiquidationStep, n(r, 'step')), scope: nameOf(ScopeKind, n(r, 'scope')), qty: b(r, 'qtyLots'), price: n(r, 'priceTicks'), equity: b(r, 'equityAtoms'), maintenance: b(r, 'maintenanceAtoms'), atUs: r.timeUs });
      case 'AdlExecuted':
        return this.emit(r.accountId, 'adl', { market: r.marketId, liquidationId: n(r, 'liquidationId'), side: nameOf(SIDES, n(r, 'side')), qty: n(r, 'qtyLots'), price: n(r, 'priceTicks'), atUs: r.timeUs });
    }
  }

  /** The event's body is the view itself, not a copy: publish() encodes it at once and keeps no reference. */
  private orderEvent(accountId: number, o: OrderView): void {
    this.sink?.publishOrder(accountId, o);
  }

  private accepted(r: DecodedRecord): void {
    const o = orderView(n(r, 'orderId'), n(r, 'clientOrderId'), r.marketId, n(r, 'side'), n(r, 'orderType'), n(r, 'timeInForce'), n(r, 'priceTicks'), n(r, 'qtyLots'), n(r, 'qtyLots'), n(r, 'triggerPriceTicks'), n(r, 'triggerSource'), n(r, 'reduceOnly') === 1, n(r, 'origin'), r.timeUs);
    this.of(r.accountId).open.set(o.orderId, o);
    this.orderEvent(r.accountId, o);
  }

  /**
   * Loads an open order as its market shard holds it (a restarted gateway: restart-state.ts), with what
   * of it has filled; `untriggered` when it waits for its trigger. Makes no user-stream event.
   */
  loadOrder(o: EngineOrderView, untriggered: boolean, marketId: number): void {
    const v = orderView(o.orderId, o.clientOrderId, marketId, o.side, o.orderType, o.timeInForce, o.priceTicks, o.qtyLots, o.remainingLots, o.triggerPriceTicks, o.triggerSource, o.reduceOnly, o.origin, o.timeUs);
    v.status = untriggered ? 'untriggered' : o.remainingLots < o.qtyLots ? 'partiallyFilled' : 'open';
    this.of(o.accountId).open.set(v.orderId, v);
  }

  private traded(accountId: number, orderId: number, remaining: number, atUs: number): void {
    const v = this.accounts.get(accountId);
    const o = v?.open.get(orderId);
    if (v === undefined || o === undefined) return;
    o.remaining = remaining;
    o.filled = o.qty - remaining;
    o.updatedUs = atUs;
    if (remaining === 0) {
      o.status = 'filled';
      this.close(accountId, v, o);
    } else o.status = 'partiallyFilled';
    this.orderEvent(accountId, o);
  }

  private close(accountId: number, v: AccountView, o: OrderView): void {
    v.open.delete(o.orderId);
    this.history.orders.add(accountId, o);
  }

  private ended(r: DecodedRecord, status: 'cancelled' | 'expired'): void {
    const v = this.accounts.get(r.accountId);
    const o = v?.open.get(n(r, 'orderId'));
    if (v === undefined || o === undefined) return;
    o.status = status;
    o.endReason = reasonName(n(r, 'reason')) as string;
    o.remaining = 0;
    o.updatedUs = r.timeUs;
    this.close(r.accountId, v, o);
    this.orderEvent(r.accountId, o);
  }

  private amended(r: DecodedRecord): void {
    const o = this.accounts.get(r.accountId)?.open.get(n(r, 'orderId'));
    if (o === undefined) return;
    o.price = n(r, 'newPriceTicks');
    o.qty = n(r, 'newQtyLots');
    o.remaining = n(r, 'remainingLots');
    o.filled = o.qty - o.remaining;
    o.updatedUs = r.timeUs;
    this.orderEvent(r.accountId, o);
  }

  private triggered(r: DecodedRecord): void {
    const o = this.accounts.get(r.accountId)?.open.get(n(r, 'orderId'));
    if (o === undefined) return;
    o.status = 'open';
    o.updatedUs = r.timeUs;
    this.orderEvent(r.accountId, o);
  }

  private filled(r: DecodedRecord): void {
    const f: FillView = {
      tradeId: n(r, 'tradeId'),
      orderId: n(r, 'orderId'),
      market: r.marketId,
      side: nameOf(SIDES, n(r, 'side')) as string,
      price: n(r, 'priceTicks'),
      qty: n(r, 'qtyLots'),
      fee: b(r, 'feeAtoms'),
      realizedPnl: b(r, 'realizedPnlAtoms'),
      liquidity: n(r, 'liquidity') === 0 ? 'maker' : 'taker',
      atUs: r.timeUs,
    };
    this.history.fills.add(r.accountId, f);
    this.emit(r.accountId, 'fill', f);
  }

  private position(r: DecodedRecord): void {
    const p: PositionView = {
      market: r.marketId,
      qty: b(r, 'qtyLots'),
      entryCost: b(r, 'entryCostAtoms'),
      realizedPnl: b(r, 'realizedPnlAtoms'),
      isolatedMargin: b(r, 'isolatedMarginAtoms'),
      unrealizedPnl: b(r, 'unrealizedPnlAtoms'),
      liquidationPrice: n(r, 'liquidationPriceTicks'),
      bankruptcyPrice: n(r, 'bankruptcyPriceTicks'),
      markPrice: n(r, 'markPriceTicks'),
      marginRatio: b(r, 'marginRatioRate'),
      leverage: n(r, 'leverage'),
      tier: n(r, 'tier'),
      marginMode: n(r, 'marginMode') === 1 ? 'isolated' : 'cross',
      adlQuintile: n(r, 'adlQuintile'),
      updatedUs: r.timeUs,
    };
    this.of(r.accountId).positions.set(p.market, p);
    this.emit(r.accountId, 'position', p);
  }

  private balanceOf(r: DecodedRecord): void {
    const bal: BalanceView = {
      wallet: b(r, 'walletAtoms'),
      equity: b(r, 'equityAtoms'),
      available: b(r, 'availableAtoms'),
      withdrawable: b(r, 'withdrawableAtoms'),
      maintenance: b(r, 'maintenanceAtoms'),
      initial: b(r, 'initialAtoms'),
      marginRatio: b(r, 'marginRatioRate'),
      updatedUs: r.timeUs,
    };
    this.of(r.accountId).balance = bal;
    this.emit(r.accountId, 'balance', bal);
  }
}
