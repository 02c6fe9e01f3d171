// Order entry requests: place (idempotent by client order id), batchPlace, cancel, amend, cancelReplace,
// cancelAll. Every answer is the exchange's, released only once durable.

import { Code } from '../../engine/codes.js';
import type { AccountViews } from '../views/account-views.js';
import type { OrderEntry, OrderFields } from '../orders/order-entry.js';
import type { Answer } from '../orders/pending-answers.js';
import { NO_WAITERS, waitFor, type PlaceEntry, type PlaceResult, type PlaceResults } from '../orders/place-results.js';
import { fail, LATER, ok, type Answerer, type Handler, type Result } from './handler.js';

/** Codes that mean the exchange never took the command: not an outcome to remember. */
const NOT_TAKEN: ReadonlySet<number> = new Set([Code.BACK_PRESSURE, Code.EXCHANGE_HALTED]);

/**
 * An order ready to offer once its reservation (if it has a client order id) is stored. The store calls
 * `written` (no promise per order); whoever continues the order asks whenStored().
 */
class Ticket {
  /** True while its reservation is being written. */
  private waiting: boolean;
  /** Why the reservation could not be stored. */
  storeError: Error | undefined = undefined;
  private next: (() => void) | undefined = undefined;

  constructor(
    readonly o: OrderFields,
    readonly cid: number,
    /** Assigned when prepared, so a batch's ids rise in its order. */
    readonly orderId: number,
    waiting: boolean,
  ) {
    this.waiting = waiting;
  }

  /** The entry of its client order id (set by prepare() with the reservation). */
  entry: PlaceEntry | undefined = undefined;

  readonly written = (e: Error | undefined): void => {
    this.waiting = false;
    this.storeError = e;
    const f = this.next;
    this.next = undefined;
    f?.();
  };

  /** Calls `f` once the reservation is stored (or could not be): at once when it is not waiting. */
  whenStored(f: () => void): void {
    if (this.waiting) this.next = f;
    else f();
  }
}

const isTicket = (x: Result | Promise<Result> | Ticket): x is Ticket => x instanceof Ticket;

const internalError = (e: unknown): Result => ({ ok: false, code: Code.INTERNAL_ERROR, message: `internal error: ${(e as Error).message}` });

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

/** The answer's data: the accepted order's fields (a literal of one shape, no spread: one per order). */
function placedData(o: Readonly<Record<string, unknown>> | null | undefined, orderId: number, clientOrderId: number, replayed: boolean): Record<string, unknown> {
  // null: a result stored without its order (accepted before a restart) reads back from msgpack as nil
  if (o === undefined || o === null) return { orderId, clientOrderId, replayed };
  return { orderId, clientOrderId, market: o['market'], price: o['price'], qty: o['qty'], trigger: o['trigger'], acceptedUs: o['acceptedUs'], replayed };
}

const resultOf = (p: PlaceResult, replayed: boolean): Result => (p.ok ? ok(placedData(p.order, p.orderId, p.clientOrderId, replayed)) : fail(p.code, undefined));

export class OrderHandlers {
  constructor(private readonly d: OrderHandlerDeps) {}

  /**
   * Phase one of placing, synchronous: a final result (a replayed or waiting retry, a limit), or a ticket
   * to offer once its reservation is in the store. Splitting the two lets a batch offer its orders in
   * order whatever each one waits for.
   */
  private prepare(accountId: number, o: OrderFields): Result | Promise<Result> | Ticket {
    const cid = o.clientOrderId ?? 0;
    const results = this.d.results;
    const e = cid === 0 ? undefined : results.get(accountId, cid);
    if (e?.result !== undefined) return resultOf(e.result, true);
    if (e?.waiters !== undefined) return new Promise<Result>((resolve) => waitFor(e, (p) => resolve(resultOf(p, true))));
    if (this.d.views.openOrderCount(accountId) >= this.d.maxOpenOrders) return fail(Code.OPEN_ORDERS_LIMIT, `at most ${this.d.maxOpenOrders} open orders`);
    if (cid === 0) return new Ticket(o, cid, this.d.entry.newOrderId(), false);
    if (e !== undefined) {
      // Reserved before a restart, no result: offered again under the same order id.
      e.waiters = NO_WAITERS as PlaceEntry['waiters'];
      const t = new Ticket(o, cid, e.orderId, false);
      t.entry = e;
      return t;
    }
    const t = new Ticket(o, cid, this.d.entry.newOrderId(), true);
    t.entry = results.reserve(accountId, cid, t.orderId, t.written);
    return t;
  }

  /**
   * Phase two, once stored: offers the order (synchronously) and gives `to` its outcome, recorded first
   * when it has a client order id. A failure to store the reservation fails the order, which is then never
   * offered.
   */
  private submit(accountId: number, t: Ticket, to: Answerer): void {
    if (t.storeError !== undefined) return to.answer(this.storeFailed(t));
    this.d.entry.placeThen(accountId, t.o, t.orderId, (a) => {
      try {
        this.answered(accountId, t, a, to);
      } catch (e) {
        to.answer(internalError(e));
      }
    });
  }

  /** The exchange's answer to a submitted order: recorded (with a client order id), then given to `to`. */
  private answered(accountId: number, t: Ticket, a: Answer, to: Answerer): void {
    const { entry, cid } = t;
    if (entry === undefined) return to.answer(a.ok ? ok(placedData(orderOf(a), t.orderId, 0, false)) : fail(a.code));
    if (!a.ok && NOT_TAKEN.has(a.code)) {
      this.d.results.release(entry, { ok: false, code: a.code, orderId: entry.orderId, clientOrderId: cid });
      return to.answer(fail(a.code));
    }
    // A reservation from before a restart whose order the engine already has: the first attempt was accepted.
    const acceptedEarlier = !a.ok && a.code === Code.DUPLICATE_ORDER_ID && entry.recovered;
    const p: PlaceResult = a.ok || acceptedEarlier ? { ok: true, code: Code.OK, orderId: entry.orderId, clientOrderId: cid, order: orderOf(a) } : { ok: false, code: a.code, orderId: entry.orderId, clientOrderId: cid };
    // Answered once recorded: a retry after a crash then gets this very result (a refusal included).
    this.d.results.settle(accountId, cid, entry, p, () => to.answer(resultOf(p, false)));
  }

  /** The reservation could not be stored: the order fails, never offered (later attempts start afresh). */
  private storeFailed(t: Ticket): Result {
    if (t.entry !== undefined) this.d.results.release(t.entry, { ok: false, code: Code.STORE_IO_FAILED, orderId: t.entry.orderId, clientOrderId: t.cid });
    return fail(Code.STORE_IO_FAILED, 'the gateway could not record the order for idempotent retries; nothing was placed');
  }

  /**
   * One order: place and cancelReplace. Its result at once (a replay, a limit), a promise of it (a retry
   * of an order in flight), or LATER: the order was offered, or will be once its reservation is stored,
   * and `to` gets its result (no promise: a plain place is the gateway's most frequent request).
   */
  placeOne(accountId: number, o: OrderFields, to: Answerer): Result | Promise<Result> | typeof LATER {
    const t = this.prepare(accountId, o);
    if (!isTicket(t)) return t;
    t.whenStored(() => {
      try {
        this.submit(accountId, t, to);
      } catch (e) {
        to.answer(internalError(e));
      }
    });
    return LATER;
  }

  place: Handler = (c) => this.placeOne(c.session.accountId, c.fields as unknown as OrderFields, c);

  /**
   * Up to 20 orders, one result each in order. Every reservation is stored first, then every order is
   * offered in the batch's order in one turn, and the batch is answered once each has its result: no
   * promise per order (a market maker's batches are its busiest requests).
   */
  batchPlace: Handler = (c) => {
    const accountId = c.session.accountId;
    const orders = c.fields['orders'] as OrderFields[];
    const prepared = orders.map((o) => this.prepare(accountId, o));
    const results: Result[] = new Array<Result>(prepared.length);
    let unanswered = prepared.length;
    const settle = (i: number, r: Result): void => {
      results[i] = r;
      if (--unanswered === 0) c.answer(ok({ results: results.map((x) => (x.ok ? { ok: true, ...(x.data as object) } : { ok: false, code: x.code })) }));
    };
    const offerAll = (): void => {
      for (let i = 0; i < prepared.length; i++) {
        const t = prepared[i]!;
        if (!isTicket(t)) continue;
        if (t.storeError !== undefined) settle(i, this.storeFailed(t));
        else {
          try {
            this.submit(accountId, t, { answer: (r) => settle(i, r) });
          } catch (e) {
            settle(i, internalError(e));
          }
        }
      }
    };
    let storing = 0;
    for (const t of prepared) if (isTicket(t)) storing++;
    for (let i = 0; i < prepared.length; i++) {
      const t = prepared[i]!;
      if (isTicket(t)) t.whenStored(() => --storing === 0 && offerAll());
      else if (t instanceof Promise) t.then((r) => settle(i, r), (e: unknown) => settle(i, internalError(e)));
      else settle(i, t);
    }
    return LATER;
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
    const placed = await new Promise<Result>((answer) => {
      const r = this.placeOne(c.session.accountId, c.fields['order'] as OrderFields, { answer });
      if (r !== LATER) answer(r);
    });
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
