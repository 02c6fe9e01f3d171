// What the gateway knows of one order, kept from the event stream (account-views.ts) and sent to its owner
// in responses, queries and user-stream `order` events. Prices in ticks, quantities in lots.

export type OrderStatus = 'open' | 'partiallyFilled' | 'untriggered' | 'filled' | 'cancelled' | 'expired';

export interface OrderView {
  orderId: number;
  clientOrderId: number;
  market: number;
  side: string;
  type: string;
  tif: string;
  price: number;
  qty: number;
  filled: number;
  remaining: number;
  trigger: number;
  triggerBy: string;
  reduceOnly: boolean;
  status: OrderStatus;
  /** Why it ended (cancelled, expired): the engine's CancelReason name. */
  endReason?: string;
  createdUs: number;
  updatedUs: number;
}

export interface FillView {
  tradeId: number;
  orderId: number;
  market: number;
  side: string;
  price: number;
  qty: number;
  /** Collateral atoms: fee paid (> 0) or rebate (< 0). */
  fee: bigint;
  realizedPnl: bigint;
  liquidity: 'maker' | 'taker';
  atUs: number;
}

export interface PositionView {
  market: number;
  /** Signed lots: > 0 long, < 0 short. */
  qty: bigint;
  entryCost: bigint;
  realizedPnl: bigint;
  isolatedMargin: bigint;
  unrealizedPnl: bigint;
  /** LP and BP in ticks, 0 = none. */
  liquidationPrice: number;
  bankruptcyPrice: number;
  markPrice: number;
  /** Σ MM / equity of the scope, 10^-8 units; -1 when equity ≤ 0 with a position open. */
  marginRatio: bigint;
  leverage: number;
  tier: number;
  marginMode: 'cross' | 'isolated';
  /** 1-5, 5 first in line for ADL; 0 none. */
  adlQuintile: number;
  updatedUs: number;
}

export interface BalanceView {
  wallet: bigint;
  equity: bigint;
  available: bigint;
  withdrawable: bigint;
  maintenance: bigint;
  initial: bigint;
  marginRatio: bigint;
  updatedUs: number;
}
