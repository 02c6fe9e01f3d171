// Typed shapes of the protocol for clients (docs/PROTOCOL.md is the reference). The views are the
// gateway's own (gateway/views/order-view.ts), so a field the gateway adds or retypes changes them too.

import type { BalanceView, FillView, OrderView, PositionView } from '../views/order-view.js';

/** An object type with the same fields, readonly, and usable wherever a plain record is (a type alias). */
type Shape<T> = { readonly [K in keyof T]: T[K] };

/** An order as openOrders, orderHistory and `order` user events give it. */
export type OrderInfo = Shape<OrderView>;
/** A fill as `fills` and `fill` user events give it; fee and realizedPnl in collateral atoms (bigint). */
export type FillInfo = Shape<FillView>;
/** A position as `positions` and `position` user events give it; money in atoms and qty in lots, bigint. */
export type PositionInfo = Shape<PositionView>;
/** The account's balance as `balances` and `balance` user events give it, in atoms (bigint). */
export type BalanceInfo = Shape<BalanceView>;

/** One market of `markets`: sizes as decimal text, bounds in ticks and lots. */
export interface MarketInfo {
  readonly id: number;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQty: number;
  readonly maxQty: number;
  readonly maxPrice: number;
  readonly maxOpenOrders: number;
  readonly collateralDecimals: number;
}

/** The answer of setLeverage, setMarginMode, adjustIsolatedMargin and withdraw: the account after it, in atoms. */
export interface AccountResult {
  readonly requestId: number;
  readonly wallet: bigint;
  readonly available: bigint;
  readonly withdrawable: bigint;
}

/** The answer of withdraw: the withdrawal (its id and amount) and the account after it; `replayed` for a repeat. */
export interface Withdrawal extends AccountResult {
  readonly withdrawalId: number;
  readonly amount: bigint;
  readonly replayed: boolean;
}

export interface Amended {
  readonly orderId: number;
  readonly clientOrderId: number;
  readonly price: number;
  readonly qty: number;
  readonly remaining: number;
  readonly keptPriority: boolean;
}

/** One item of batchPlace, and cancelReplace's `placed`. */
export type PlaceItem = ({ readonly ok: true } & Placed) | { readonly ok: false; readonly code: number };

export interface ResponseError {
  readonly code: number;
  readonly name: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly field?: string;
  readonly retryAfterMs?: number;
}

export interface Response<T = Record<string, unknown>> {
  readonly t: 'res';
  readonly id: number;
  readonly ok: boolean;
  /** Server receive and send times, µs since the Unix epoch. */
  readonly rx: number;
  readonly tx: number;
  /** Rate-limit tokens left. */
  readonly rl: number;
  readonly data?: T;
  readonly error?: ResponseError;
}

export interface NewOrder {
  market: number;
  side: 'buy' | 'sell';
  type: 'limit' | 'market' | 'stopMarket' | 'stopLimit' | 'takeProfitMarket' | 'takeProfitLimit';
  qty: number;
  price?: number;
  tif?: 'gtc' | 'ioc' | 'fok' | 'postOnly';
  trigger?: number;
  triggerBy?: 'mark' | 'last';
  stp?: 'default' | 'expireTaker' | 'expireMaker' | 'expireBoth';
  reduceOnly?: boolean;
  clientOrderId?: number;
}

export interface Placed {
  orderId: number;
  clientOrderId: number;
  market: number;
  /** As the book holds it: a market order's resolved limit. */
  price: number;
  qty: number;
  /** The trigger price in ticks (0: none). */
  trigger: number;
  /** When the exchange accepted it, µs since the epoch. */
  acceptedUs: number;
  replayed: boolean;
}

export interface LoginResult {
  accountId: number;
  scopes: string[];
  epoch: number;
  seq: number;
  resumed: 'none' | 'replayed' | 'snapshot';
  protocol: number;
}

export interface UserEvent {
  readonly t: 'user';
  readonly epoch: number;
  readonly seq: number;
  readonly kind: 'order' | 'fill' | 'position' | 'balance' | 'marginCall' | 'liquidation' | 'adl';
  readonly [field: string]: unknown;
}

export interface UserSnapshot {
  readonly t: 'userSnapshot';
  readonly epoch: number;
  readonly seq: number;
  readonly orders: OrderInfo[];
  readonly positions: PositionInfo[];
  readonly balance: BalanceInfo | null;
}

export interface ApiCredentials {
  readonly keyId: string;
  readonly alg: 'ed25519' | 'hmac-sha256';
  /** Ed25519: the 32-byte private seed; HMAC: the shared secret. */
  readonly secret: Uint8Array;
  /** Sign every order-entry request (required when the key was created with signOrders). */
  readonly signOrders?: boolean;
}

/** What login takes: the credentials, the secret as bytes or as the hex text `npm start -- --demo` and the operator HTTP print. */
export type LoginCredentials = Omit<ApiCredentials, 'secret'> & { readonly secret: Uint8Array | string };

/** A refused request, thrown by the client's typed calls. */
export class GatewayError extends Error {
  constructor(readonly error: ResponseError) {
    super(`${error.name} (${error.code}): ${error.message}`);
    this.name = 'GatewayError';
  }
  get code(): number {
    return this.error.code;
  }
}
