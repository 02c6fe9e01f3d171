// Typed shapes of the protocol for clients (docs/PROTOCOL.md is the reference).

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
  price: number;
  qty: number;
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
  readonly orders: Record<string, unknown>[];
  readonly positions: Record<string, unknown>[];
  readonly balance: Record<string, unknown> | null;
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
