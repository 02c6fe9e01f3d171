// OrderEntry: turns validated requests into exchange commands, offers them, and answers each with the one
// event or refusal the exchange gives it (pending-answers.ts). The gateway stamps time and assigns ids;
// a command the exchange cannot take now is answered BACK_PRESSURE (retryable), and after a halt
// EXCHANGE_HALTED; neither was taken, so neither changed anything. Offers are published by one flush per
// event-loop turn (setImmediate), so a burst of requests, over any number of sockets, costs one release
// store per ring and at most one wake-up per parked shard.
//
// The gateway's own commands (cancel-on-disconnect, the dead-man switch) must never be lost: a refused
// one waits in `retry` and is offered again by the dispatch loop before anything newer of its kind.

import { Code } from '../../engine/codes.js';
import { CancelReason, OrderOrigin } from '../../engine/enums.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import type { Layout } from '../../engine/ring/layouts/layout.js';
import { AdjustIsolatedMarginLayout } from '../../engine/ring/layouts/adjust-isolated-margin.js';
import { AmendOrderLayout } from '../../engine/ring/layouts/amend-order.js';
import { CancelAllOrdersLayout } from '../../engine/ring/layouts/cancel-all-orders.js';
import { CancelOrderLayout } from '../../engine/ring/layouts/cancel-order.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { SetLeverageLayout } from '../../engine/ring/layouts/set-leverage.js';
import { SetMarginModeLayout } from '../../engine/ring/layouts/set-margin-mode.js';
import { WithdrawLayout } from '../../engine/ring/layouts/withdraw.js';
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import { RecordQueue } from '../../engine/ring/record-queue.js';
import { RecordType } from '../../engine/ring/types.js';
import { ORDER_TYPES, SIDES, STP_MODES, TIME_IN_FORCE, TRIGGER_SOURCES } from '../protocol/order-fields.js';
import type { GatewayExchange } from './gateway-exchange.js';
import type { IdAllocator } from './id-allocator.js';
import { targetKey, type Answer, type PendingAnswers, type Waiter } from './pending-answers.js';

/** A new order as the protocol carries it (protocol/order-fields.ts), validated. */
export interface OrderFields {
  market: number;
  side: keyof typeof SIDES;
  type: keyof typeof ORDER_TYPES;
  qty: number;
  price?: number;
  tif?: keyof typeof TIME_IN_FORCE;
  trigger?: number;
  triggerBy?: keyof typeof TRIGGER_SOURCES;
  stp?: keyof typeof STP_MODES;
  reduceOnly?: boolean;
  clientOrderId?: number;
}

export interface OrderEntryStats {
  offered: number;
  backPressure: number;
  /** Gateway commands (cancel-on-disconnect, dead-man) waiting to be offered again. */
  retrying: number;
}

export class OrderEntry {
  private readonly scratch = RecordBuffer.allocate(1);
  private readonly retry = new RecordQueue(16);
  private flushScheduled = false;
  readonly stats: OrderEntryStats = { offered: 0, backPressure: 0, retrying: 0 };

  constructor(
    private readonly exchange: GatewayExchange,
    private readonly ids: IdAllocator,
    private readonly pending: PendingAnswers,
    private readonly nowUs: () => number,
    readonly markets: ReadonlySet<number>,
  ) {}

  // setImmediate, not a microtask: the poll phase runs every socket's 'message' as a callback of its
  // own, with the microtasks drained after each, so a microtask flushed (a release store and, to a parked
  // shard, a wake-up: Atomics.notify) once per socket; the check phase that follows the poll phase
  // flushes once for all of them. The delay is the rest of that poll phase.
  private readonly flushNow = (): void => {
    this.flushScheduled = false;
    this.exchange.flush();
  };

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flushNow);
  }

  /** Offers the scratch record; false with the refusal's code when the exchange did not take it. */
  private offerScratch(): number {
    this.scratch.setTimeUs(0, this.nowUs());
    if (this.exchange.offer(this.scratch, 0)) {
      this.stats.offered++;
      this.scheduleFlush();
      return Code.OK;
    }
    if (this.exchange.halted) return Code.EXCHANGE_HALTED;
    this.stats.backPressure++;
    return Code.BACK_PRESSURE;
  }

  /** Encodes and offers one command; OK when the exchange took it, else the refusal's code. */
  private offerCommand(layout: Layout, accountId: number, marketId: number, body: Record<string, number | bigint>, flags: number): number {
    if (marketId !== 0 && !this.markets.has(marketId)) return Code.UNKNOWN_MARKET;
    encodeRecord(this.scratch, 0, layout, { accountId, marketId, flags }, body);
    return this.offerScratch();
  }

  private send(layout: Layout, accountId: number, marketId: number, body: Record<string, number | bigint>, register: (w: (a: Answer) => void) => void, flags = 0): Promise<Answer> {
    return new Promise((resolve) => {
      const code = this.offerCommand(layout, accountId, marketId, body, flags);
      if (code !== Code.OK) resolve({ ok: false, code });
      else register(resolve);
    });
  }

  /** A fresh order id (reserved ahead of the place, for idempotent retries). */
  newOrderId(): number {
    return this.ids.take();
  }

  /** The PlaceOrder body, one object rewritten per order (encodeRecord reads it at once and keeps nothing). */
  private readonly placeBody = { orderId: 0, clientOrderId: 0, priceTicks: 0, qtyLots: 0, triggerPriceTicks: 0, side: 0, orderType: 0, timeInForce: 0, stpMode: 0, triggerSource: 0, reduceOnly: 0, origin: OrderOrigin.USER as number };

  /**
   * Places an order under `orderId` (a new one unless a retry names the original's) and calls `answer`
   * with the exchange's answer, or at once with the refusal when it did not take the command: no promise
   * per order.
   */
  placeThen(accountId: number, o: OrderFields, orderId: number, answer: Waiter): void {
    const body = this.placeBody;
    body.orderId = orderId;
    body.clientOrderId = o.clientOrderId ?? 0;
    body.priceTicks = o.price ?? 0;
    body.qtyLots = o.qty;
    body.triggerPriceTicks = o.trigger ?? 0;
    body.side = SIDES[o.side];
    body.orderType = ORDER_TYPES[o.type];
    body.timeInForce = TIME_IN_FORCE[o.tif ?? 'gtc'];
    body.stpMode = STP_MODES[o.stp ?? 'default'];
    body.triggerSource = TRIGGER_SOURCES[o.triggerBy ?? 'mark'];
    body.reduceOnly = o.reduceOnly ? 1 : 0;
    const code = this.offerCommand(PlaceOrderLayout, accountId, o.market, body, 0);
    if (code !== Code.OK) answer({ ok: false, code });
    else this.pending.onPlace(orderId, answer);
  }

  /** Cancels by order id, or by client order id when orderId is 0. */
  cancel(accountId: number, market: number, orderId: number, clientOrderId: number): Promise<Answer> {
    const cid = orderId > 0 ? 0 : clientOrderId;
    return this.send(CancelOrderLayout, accountId, market, { orderId, clientOrderId: cid }, (w) => this.pending.onTarget(targetKey(RecordType.CancelOrder, accountId, orderId, cid), w));
  }

  amend(accountId: number, market: number, orderId: number, clientOrderId: number, price: number, qty: number): Promise<Answer> {
    const cid = orderId > 0 ? 0 : clientOrderId;
    return this.send(AmendOrderLayout, accountId, market, { orderId, clientOrderId: cid, newPriceTicks: price, newQtyLots: qty }, (w) => this.pending.onTarget(targetKey(RecordType.AmendOrder, accountId, orderId, cid), w));
  }

  private request(layout: Layout, accountId: number, market: number, body: Record<string, number | bigint>, flags = 0, requestId = this.ids.take()): Promise<Answer> {
    return this.send(layout, accountId, market, { requestId, ...body }, (w) => this.pending.onRequest(requestId, w), flags);
  }

  cancelAll(accountId: number, market: number): Promise<Answer> {
    return this.request(CancelAllOrdersLayout, accountId, market, { reason: CancelReason.CANCEL_ALL });
  }

  setLeverage(accountId: number, market: number, leverage: number): Promise<Answer> {
    return this.request(SetLeverageLayout, accountId, market, { leverage });
  }

  setMarginMode(accountId: number, market: number, isolated: boolean): Promise<Answer> {
    return this.request(SetMarginModeLayout, accountId, market, { marginMode: isolated ? 1 : 0 });
  }

  adjustIsolatedMargin(accountId: number, market: number, deltaAtoms: bigint): Promise<Answer> {
    return this.request(AdjustIsolatedMarginLayout, accountId, market, { deltaAtoms });
  }

  /** A trader's withdrawal under its engine request id (2^51 + withdrawalId: id-allocator.ts), answered by (account, id). */
  withdraw(accountId: number, amountAtoms: bigint, requestId: number): Promise<Answer> {
    return this.send(WithdrawLayout, accountId, 0, { requestId, amountAtoms, assetId: 0 }, (w) => this.pending.onTarget(targetKey(RecordType.Withdraw, accountId, requestId, 0), w));
  }

  /** An operator's credit (deposits are operator-only in the engine: docs/COMMANDS.md). */
  deposit(accountId: number, amountAtoms: bigint, requestId?: number): Promise<Answer> {
    return this.request(DepositLayout, accountId, 0, { amountAtoms, assetId: 0 }, HeaderFlag.OPERATOR, requestId);
  }

  /**
   * The gateway's own cancel-all (cancel-on-disconnect, dead-man switch) for every market: never lost, a
   * refused one waits and is offered again by offerRetries(). Nobody waits for its answer.
   */
  cancelAllNow(accountId: number): void {
    for (const market of [...this.markets].sort((a, b) => a - b)) {
      encodeRecord(this.scratch, 0, CancelAllOrdersLayout, { accountId, marketId: market }, { requestId: this.ids.take(), reason: CancelReason.CANCEL_ALL });
      if (this.retry.length > 0 || this.offerScratch() !== Code.OK) {
        if (!this.exchange.halted) this.retry.push(this.scratch, 0, 0);
      }
    }
    this.stats.retrying = this.retry.length;
  }

  /** Offers the gateway's waiting commands again, oldest first, until one is refused. */
  offerRetries(): void {
    const q = this.retry;
    while (q.length > 0 && !this.exchange.halted) {
      const at = q.frontAt();
      q.records.setTimeUs(at, this.nowUs());
      if (!this.exchange.offer(q.records, at)) break;
      this.stats.offered++;
      q.shift();
      this.scheduleFlush();
    }
    this.stats.retrying = q.length;
  }
}
