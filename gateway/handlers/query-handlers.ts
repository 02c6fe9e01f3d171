// Queries, served from the read models (views/account-views.ts) of the session's own account only: there
// is no way to name another account, so another account's order reads exactly as one that does not exist.

import type { MarketRegistry } from '../markets/market-registry.js';
import type { AccountViews } from '../views/account-views.js';
import { ok, type Handler, type RequestContext, type Result } from './handler.js';

const limitOf = (c: RequestContext): number => (c.fields['limit'] as number | undefined) ?? 100;

/** A history query's answer: at once, or once the account's stored entries are loaded (history.ts). */
function answer<T>(items: T[] | Promise<T[]>, data: (items: T[]) => object): Result | Promise<Result> {
  return Array.isArray(items) ? ok(data(items)) : items.then((i) => ok(data(i)));
}

export class QueryHandlers {
  constructor(
    private readonly views: AccountViews,
    /** Read at every `markets` query: a market listed at run time is in the next answer. */
    private readonly markets: MarketRegistry,
  ) {}

  openOrders: Handler = (c) => {
    const market = c.fields['market'] as number | undefined;
    const v = this.views.get(c.session.accountId);
    const orders = v ? [...v.open.values()].filter((o) => market === undefined || o.market === market).sort((a, b) => a.orderId - b.orderId) : [];
    return ok({ orders });
  };

  orderHistory: Handler = (c) => answer(this.views.history.orders.newest(c.session.accountId, limitOf(c)), (orders) => ({ orders }));

  fills: Handler = (c) => answer(this.views.history.fills.newest(c.session.accountId, limitOf(c)), (fills) => ({ fills }));

  positions: Handler = (c) => {
    const v = this.views.get(c.session.accountId);
    return ok({ positions: v ? [...v.positions.values()].sort((a, b) => a.market - b.market) : [] });
  };

  balances: Handler = (c) => ok({ balance: this.views.get(c.session.accountId)?.balance ?? null });

  marketsList: Handler = () =>
    ok({
      markets: this.markets.list().map((m) => ({
        id: m.marketId,
        symbol: m.symbol,
        base: m.baseAsset,
        quote: m.quoteAsset,
        tickSize: m.tickSize,
        lotSize: m.lotSize,
        minQty: m.minQtyLots,
        maxQty: m.maxQtyLots,
        maxPrice: m.maxPriceTicks,
        maxOpenOrders: m.maxOpenOrdersPerAccount,
        collateralDecimals: m.collateralDecimals,
      })),
    });
}
