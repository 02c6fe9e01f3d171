// Test support: random command streams for the property tests. fast-check generates abstract commands
// ("cancel the k-th open order", "place with a duplicate id"); resolve() turns each into a concrete call
// against the book's current open orders, so both books receive exactly the same arguments.

import fc from 'fast-check';
import { CancelReason, OrderOrigin, OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../../../engine/enums.js';
import { MarketSpec } from '../../../engine/market/spec.js';
import { OrderRequest, type Book, type OrderView } from '../../../engine/book/types.js';

/** A small market where every limit is reachable: band ±4 % of ~1000 ticks, 8 orders per account, 24 in all. */
export const PROPERTY_SPEC = new MarketSpec({
  marketId: 7,
  symbol: 'PROP-PERP',
  baseAsset: 'PROP',
  quoteAsset: 'USDT',
  tickSize: '0.5',
  lotSize: '1',
  minQtyLots: 1,
  maxQtyLots: 50,
  maxPriceTicks: 5_000,
  priceBandBps: 400,
  marketSlippageBps: 150,
  maxOpenOrdersPerAccount: 8,
  maxOrders: 24,
  collateralDecimals: 6,
});

/** The same market with room for few orders and no band: the book-full and per-account limits bite. */
export const TIGHT_SPEC = new MarketSpec({ ...PROPERTY_SPEC, marketId: 8, symbol: 'TIGHT-PERP', priceBandBps: 0, maxOpenOrdersPerAccount: 4, maxOrders: 10 });

export const MID_TICKS = 1_000;

export type Cmd =
  | {
      k: 'place';
      acct: number;
      side: number;
      type: number;
      tif: number;
      stp: number;
      src: number;
      ro: boolean;
      origin: number;
      priceOff: number;
      noPrice: boolean;
      qty: number;
      trigOff: number;
      cid: number;
      dupId: boolean;
      pick: number;
    }
  | { k: 'cancel'; pick: number; byClient: boolean; wrongAcct: boolean; reason: number }
  | { k: 'cancelAll'; acct: number }
  | { k: 'amend'; pick: number; byClient: boolean; dPrice: number; dQty: number }
  | { k: 'mark'; off: number }
  | { k: 'stp'; acct: number; mode: number };

const acct = fc.integer({ min: 1, max: 4 });

const place: fc.Arbitrary<Cmd> = fc.record({
  k: fc.constant('place' as const),
  acct,
  side: fc.oneof({ weight: 60, arbitrary: fc.constantFrom(Side.BUY, Side.SELL) }, { weight: 1, arbitrary: fc.constant(2) }),
  type: fc.oneof(
    { weight: 40, arbitrary: fc.constant(OrderType.LIMIT) },
    { weight: 10, arbitrary: fc.constant(OrderType.MARKET) },
    { weight: 14, arbitrary: fc.constantFrom(OrderType.STOP_MARKET, OrderType.STOP_LIMIT, OrderType.TAKE_PROFIT_MARKET, OrderType.TAKE_PROFIT_LIMIT) },
    { weight: 1, arbitrary: fc.constantFrom(9, -1) },
  ),
  tif: fc.oneof({ weight: 10, arbitrary: fc.constant(TimeInForce.GTC) }, { weight: 6, arbitrary: fc.constantFrom(TimeInForce.IOC, TimeInForce.FOK) }, { weight: 2, arbitrary: fc.constant(TimeInForce.POST_ONLY) }),
  stp: fc.oneof({ weight: 6, arbitrary: fc.constant(StpMode.DEFAULT) }, { weight: 3, arbitrary: fc.constantFrom(StpMode.EXPIRE_TAKER, StpMode.EXPIRE_MAKER, StpMode.EXPIRE_BOTH) }),
  src: fc.constantFrom(TriggerSource.MARK, TriggerSource.LAST),
  ro: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  origin: fc.oneof({ weight: 10, arbitrary: fc.constant(OrderOrigin.USER) }, { weight: 1, arbitrary: fc.constant(OrderOrigin.LIQUIDATION) }),
  priceOff: fc.integer({ min: -30, max: 30 }),
  noPrice: fc.oneof({ weight: 40, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  qty: fc.oneof({ weight: 60, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 51) }),
  trigOff: fc.integer({ min: -30, max: 30 }),
  cid: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 }) }),
  dupId: fc.oneof({ weight: 25, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  pick: fc.nat(),
});

export const commandArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 14, arbitrary: place },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick: fc.nat(), byClient: fc.boolean(), wrongAcct: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), reason: fc.constantFrom(CancelReason.USER, CancelReason.ADMIN) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancelAll' as const), acct }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('amend' as const), pick: fc.nat(), byClient: fc.boolean(), dPrice: fc.oneof(fc.constant(0), fc.integer({ min: -15, max: 15 })), dQty: fc.integer({ min: -8, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('mark' as const), off: fc.integer({ min: -25, max: 25 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('stp' as const), acct, mode: fc.constantFrom(StpMode.DEFAULT, StpMode.EXPIRE_TAKER, StpMode.EXPIRE_MAKER, StpMode.EXPIRE_BOTH) }) },
);

/** A concrete call, applied identically to any Book. */
export type Call =
  | { k: 'place'; req: OrderRequest }
  | { k: 'cancel'; accountId: number; orderId: number; clientOrderId: number; reason: CancelReason; timeUs: number }
  | { k: 'cancelAll'; accountId: number; timeUs: number }
  | { k: 'amend'; accountId: number; orderId: number; clientOrderId: number; priceTicks: number; qtyLots: number; timeUs: number }
  | { k: 'mark'; priceTicks: number; timeUs: number }
  | { k: 'stp'; accountId: number; mode: StpMode };

export class Resolver {
  private nextOrderId = 1;
  private timeUs = 1_000;

  /** open: the book's open orders (Book.orders()) before the command. */
  resolve(c: Cmd, open: OrderView[]): Call {
    this.timeUs += 10;
    const timeUs = this.timeUs;
    const pick = (n: number): OrderView | undefined => (open.length ? open[n % open.length] : undefined);
    switch (c.k) {
      case 'place': {
        const req = new OrderRequest();
        const dup = c.dupId ? pick(c.pick) : undefined;
        req.orderId = dup ? dup.orderId : this.nextOrderId++;
        req.accountId = c.acct;
        req.clientOrderId = c.cid;
        req.side = c.side as Side;
        req.orderType = c.type as OrderType;
        req.timeInForce = c.tif as TimeInForce;
        req.stpMode = c.stp as StpMode;
        req.triggerSource = c.src as TriggerSource;
        req.reduceOnly = c.ro;
        req.origin = c.origin as OrderOrigin;
        const market = c.type === OrderType.MARKET || c.type === OrderType.STOP_MARKET || c.type === OrderType.TAKE_PROFIT_MARKET;
        req.priceTicks = c.noPrice || (market && c.priceOff % 2 === 0) ? 0 : MID_TICKS + c.priceOff;
        req.qtyLots = c.qty;
        const trig = c.type >= OrderType.STOP_MARKET && c.type <= OrderType.TAKE_PROFIT_LIMIT;
        req.triggerPriceTicks = trig ? MID_TICKS + c.trigOff : 0;
        req.timeUs = timeUs;
        return { k: 'place', req };
      }
      case 'cancel': {
        const o = pick(c.pick);
        const accountId = (o?.accountId ?? 1) + (c.wrongAcct ? 1 : 0);
        const byClient = c.byClient && o !== undefined && o.clientOrderId !== 0;
        return { k: 'cancel', accountId, orderId: byClient ? 0 : (o?.orderId ?? 999_999), clientOrderId: byClient ? o.clientOrderId : 0, reason: c.reason as CancelReason, timeUs };
      }
      case 'cancelAll':
        return { k: 'cancelAll', accountId: c.acct, timeUs };
      case 'amend': {
        const o = pick(c.pick);
        const byClient = c.byClient && o !== undefined && o.clientOrderId !== 0;
        const priceTicks = o && c.dPrice !== 0 ? Math.max(1, o.priceTicks + c.dPrice) : 0;
        return { k: 'amend', accountId: o?.accountId ?? 1, orderId: byClient ? 0 : (o?.orderId ?? 999_999), clientOrderId: byClient ? o.clientOrderId : 0, priceTicks, qtyLots: o && c.dQty !== 0 ? Math.max(0, o.qtyLots + c.dQty) : 0, timeUs };
      }
      case 'mark':
        return { k: 'mark', priceTicks: MID_TICKS + c.off, timeUs };
      case 'stp':
        return { k: 'stp', accountId: c.acct, mode: c.mode as StpMode };
    }
  }
}

/** Applies a call; returns the command's result (code, or count for cancelAll, 0 for mark). */
export function apply(book: Book, call: Call): number {
  switch (call.k) {
    case 'place':
      return book.place(call.req);
    case 'cancel':
      return book.cancel(call.accountId, call.orderId, call.clientOrderId, call.reason, call.timeUs);
    case 'cancelAll':
      return book.cancelAll(call.accountId, CancelReason.CANCEL_ALL, call.timeUs);
    case 'amend':
      return book.amend(call.accountId, call.orderId, call.clientOrderId, call.priceTicks, call.qtyLots, call.timeUs);
    case 'mark':
      book.setMarkPrice(call.priceTicks, call.timeUs);
      return 0;
    case 'stp':
      return book.setAccountStp(call.accountId, call.mode);
  }
}
