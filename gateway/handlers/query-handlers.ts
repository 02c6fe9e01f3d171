// Queries, served from the read models (views/account-views.ts) of the session's own account only: there
// is no way to name another account, so another account's order reads exactly as one that does not exist.

import type { MarketConfig } from '../../engine/market/spec.js';
import type { AccountViews } from '../views/account-views.js';
import { ok, type Handler } from './handler.js';

export class QueryHandlers {
  constructor(
    private readonly views: AccountViews,
    private readonly markets: readonly MarketConfig[],
  ) {}

  openOrders: Handler = (c) => {
    const market = c.fields['market'] as number | undefined;
    const v = this.views.get(c.session.accountId);
    const orders = v ? [...v.open.values()].filter((o) => market === undefined || o.market === market).sort((a, b) => a.orderId - b.orderId) : [];
    return ok({ orders });
  };

  orderHistory: Handler = (c) => ok({ orders: this.views.get(c.session.accountId)?.history.newest((c.fields['limit'] as number | undefined) ?? 100) ?? [] });

  fills: Handler = (c) => ok({ fills: this.views.get(c.session.accountId)?.fills.newest((c.fields['limit'] as number | undefined) ?? 100) ?? [] });

  positions: Handler = (c) => {
    const v = this.views.get(c.session.accountId);
    return ok({ positions: v ? [...v.positions.values()].sort((a, b) => a.market - b.market) : [] });
  };

  balances: Handler = (c) => ok({ balance: this.views.get(c.session.accountId)?.balance ?? null });

  marketsList: Handler = () =>
    ok({
      markets: this.markets.map((m) => ({
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
