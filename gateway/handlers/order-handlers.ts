// Order entry requests: place (idempotent by client order id), batchPlace, cancel, amend, cancelReplace,
// cancelAll. Every answer is the exchange's, released only once durable.

import { Code } from '../../engine/codes.js';
import type { AccountViews } from '../views/account-views.js';
import type { OrderEntry, OrderFields } from '../orders/order-entry.js';
import type { Answer } from '../orders/pending-answers.js';
import type { PlaceResult, PlaceResults } from '../orders/place-results.js';
import { fail, ok, type Handler, type Result } from './handler.js';

/** Codes that mean the exchange never took the command: not an outcome to remember. */
const NOT_TAKEN: ReadonlySet<number> = new Set([Code.BACK_PRESSURE, Code.EXCHANGE_HALTED]);

export interface OrderHandlerDeps {
  readonly entry: OrderEntry;
  readonly results: PlaceResults;
  readonly views: AccountViews;
  /** Open orders an account may have across every market (gateway limit, before the engine's own). */
  readonly maxOpenOrders: number;
}

function orderOf(a: Answer): Record<string, unknown> | undefined {
  if (!a.ok) return undefined;
  const r = a.record;
  return { orderId: r['orderId'], clientOrderId: r['clientOrderId'], market: r.marketId, price: r['priceTicks'], qty: r['qtyLots'], trigger: r['triggerPriceTicks'], acceptedUs: r.timeUs };
}

const resultOf = (p: PlaceResult, replayed: boolean): Result => (p.ok ? ok({ ...p.order, orderId: p.orderId, clientOrderId: p.clientOrderId, replayed }) : fail(p.code, undefined));

export class OrderHandlers {
  constructor(private readonly d: OrderHandlerDeps) {}

  /** One order: the heart of place, batchPlace and cancelReplace. */
  async placeOne(accountId: number, o: OrderFields): Promise<Result> {
    const cid = o.clientOrderId ?? 0;
    const { entry: orders, results } = this.d;
    if (cid === 0) {
      if (this.d.views.openOrderCount(accountId) >= this.d.maxOpenOrders) return fail(Code.OPEN_ORDERS_LIMIT, `at most ${this.d.maxOpenOrders} open orders`);
      const a = await orders.place(accountId, o);
      return a.ok ? ok({ ...orderOf(a), replayed: false }) : fail(a.code);
    }
    let e = results.get(accountId, cid);
    if (e?.result !== undefined) return resultOf(e.result, true);
    if (e?.waiters !== undefined) {
      const first = e;
      return new Promise<Result>((resolve) => first.waiters!.push((p) => resolve(resultOf(p, true))));
    }
    if (this.d.views.openOrderCount(accountId) >= this.d.maxOpenOrders) return fail(Code.OPEN_ORDERS_LIMIT, `at most ${this.d.maxOpenOrders} open orders`);
    let written: Promise<void> = Promise.resolve();
    if (e === undefined) ({ entry: e, written } = results.reserve(accountId, cid, orders.newOrderId()));
    else e.waiters = [];
    const entry = e;
    try {
      await written;
    } catch {
      results.release(entry, { ok: false, code: Code.STORE_IO_FAILED, orderId: entry.orderId, clientOrderId: cid });
      return fail(Code.STORE_IO_FAILED, 'the gateway could not record the order for idempotent retries; nothing was placed');
    }
    const a = await orders.place(accountId, o, entry.orderId);
    if (!a.ok && NOT_TAKEN.has(a.code)) {
      const p: PlaceResult = { ok: false, code: a.code, orderId: entry.orderId, clientOrderId: cid };
      results.release(entry, p);
      return fail(a.code);
    }
    // A reservation from before a restart whose order the engine already has: the first attempt was accepted.
    const acceptedEarlier = !a.ok && a.code === Code.DUPLICATE_ORDER_ID && entry.recovered;
    const p: PlaceResult = a.ok || acceptedEarlier ? { ok: true, code: Code.OK, orderId: entry.orderId, clientOrderId: cid, order: orderOf(a) } : { ok: false, code: a.code, orderId: entry.orderId, clientOrderId: cid };
    results.settle(accountId, cid, entry, p);
    return resultOf(p, false);
  }

  place: Handler = (c) => this.placeOne(c.session.accountId, c.fields as unknown as OrderFields);

  batchPlace: Handler = async (c) => {
    const orders = c.fields['orders'] as OrderFields[];
    // Offered in order in one turn (so they reach the exchange in order), answered together.
    const results = await Promise.all(orders.map((o) => this.placeOne(c.session.accountId, o)));
    return ok({ results: results.map((r) => (r.ok ? { ok: true, ...(r.data as object) } : { ok: false, code: r.code })) });
  };

  private target(c: { fields: Readonly<Record<string, unknown>> }): { market: number; orderId: number; clientOrderId: number } | Result {
    const orderId = (c.fields['orderId'] as number | undefined) ?? 0;
    const clientOrderId = (c.fields['clientOrderId'] as number | undefined) ?? 0;
    if (orderId === 0 && clientOrderId === 0) return fail(Code.INVALID_FIELD, 'orderId or clientOrderId is required', 'orderId');
    return { market: c.fields['market'] as number, orderId, clientOrderId };
  }

  cancel: Handler = async (c) => {
    const t = this.target(c);
    if ('ok' in t) return t;
    const a = await this.d.entry.cancel(c.session.accountId, t.market, t.orderId, t.clientOrderId);
    return a.ok ? ok({ orderId: a.record['orderId'], clientOrderId: a.record['clientOrderId'], cancelledQty: a.record['remainingLots'], filledQty: a.record['filledLots'] }) : fail(a.code);
  };

  amend: Handler = async (c) => {
    const t = this.target(c);
    if ('ok' in t) return t;
    const a = await this.d.entry.amend(c.session.accountId, t.market, t.orderId, t.clientOrderId, (c.fields['price'] as number | undefined) ?? 0, (c.fields['qty'] as number | undefined) ?? 0);
    if (!a.ok) return fail(a.code);
    const r = a.record;
    return ok({ orderId: r['orderId'], clientOrderId: r['clientOrderId'], price: r['newPriceTicks'], qty: r['newQtyLots'], remaining: r['remainingLots'], keptPriority: r['keptPriority'] === 1 });
  };

  /** Cancel, then (only when the cancel succeeded) place: two sequenced commands, not one. */
  cancelReplace: Handler = async (c) => {
    const t = this.target(c);
    if ('ok' in t) return t;
    const cancelled = await this.d.entry.cancel(c.session.accountId, t.market, t.orderId, t.clientOrderId);
    if (!cancelled.ok) return fail(cancelled.code, 'the cancel failed: nothing was placed');
    const placed = await this.placeOne(c.session.accountId, c.fields['order'] as OrderFields);
    return ok({ cancelled: { orderId: cancelled.record['orderId'], cancelledQty: cancelled.record['remainingLots'] }, placed: placed.ok ? { ok: true, ...(placed.data as object) } : { ok: false, code: placed.code } });
  };

  cancelAll: Handler = async (c) => {
    const market = c.fields['market'] as number | undefined;
    const markets = market === undefined ? [...this.d.entry.markets].sort((a, b) => a - b) : [market];
    const answers = await Promise.all(markets.map((m) => this.d.entry.cancelAll(c.session.accountId, m)));
    const refused = answers.find((a) => !a.ok);
    if (refused !== undefined && !refused.ok) return fail(refused.code);
    return ok({ cancelled: answers.reduce((s, a) => s + (a.ok ? (a.record['ordersCancelled'] as number) : 0), 0) });
  };
}
