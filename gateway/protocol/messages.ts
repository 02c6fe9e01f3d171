// The message registry: every request the gateway takes (its `op`), its fields, the scope it needs, its
// rate-limit weight and whether it may be signed; every message type the server sends. docs/PROTOCOL.md
// documents each one, and test/gateway/protocol-doc.test.ts fails when one is missing there.
//
// Every request is a msgpack map { op, id, ...fields }: `id` is the client's request id (u53), echoed in
// the response. Signable requests may carry { ts, nonce, sig } (auth/signing.ts); a key created with
// `signOrders` requires them on every signable request.

import { MAX_WITHDRAWAL_ID } from '../orders/id-allocator.js';
import { ORDER_FIELDS } from './order-fields.js';
import { array, atoms, bin, bool, object, oneOf, opt, req, str, uint, type Fields } from './schema.js';

export const PROTOCOL_VERSION = 1;
const MAX_BATCH = 20;

export type Scope = 'read' | 'trade' | 'withdraw';
export const SCOPES: readonly Scope[] = ['read', 'trade', 'withdraw'];

export interface RequestDef {
  readonly op: string;
  readonly doc: string;
  /** The scope the key must hold; undefined: no login needed. */
  readonly scope: Scope | undefined;
  /** Tokens taken from the rate-limit buckets (batchPlace: per item). */
  readonly weight: number;
  /** Accepts { ts, nonce, sig } over the canonical bytes (auth/signing.ts). */
  readonly signable: boolean;
  readonly fields: Fields;
}

/** Fields every signable request may carry. */
export const SIGNATURE_FIELDS: Fields = {
  ts: opt(uint(), 'signing time, µs since the Unix epoch; within the key’s receive window of the server’s clock'),
  nonce: opt(str(64), 'unique per key within the receive window'),
  sig: opt(bin(64), 'Ed25519 signature (64 bytes) or HMAC-SHA256 (32 bytes) over the canonical bytes'),
};

const target: Fields = {
  market: req(uint(0xffff), 'market id'),
  orderId: opt(uint(), 'the exchange order id'),
  clientOrderId: opt(uint(), 'the client order id (when orderId is absent)'),
};

const defs: RequestDef[] = [
  {
    op: 'login',
    doc: 'authenticates the session with an API key; signed over the canonical login bytes',
    scope: undefined,
    weight: 10,
    signable: false,
    fields: {
      keyId: req(str(64), 'the API key id'),
      ts: req(uint(), 'signing time, µs since the Unix epoch'),
      nonce: req(str(64), 'unique per key within the receive window'),
      sig: req(bin(64), 'signature over the canonical login bytes'),
      cancelOnDisconnect: opt(bool, 'cancel every open order of the account when this session ends'),
      resume: opt(object({ epoch: req(uint(), 'the user stream epoch last seen'), seq: req(uint(), 'the last user-stream seq seen') }), 'resume the user stream after this point'),
    },
  },
  { op: 'ping', doc: 'liveness; answers with the server time', scope: undefined, weight: 1, signable: false, fields: {} },
  { op: 'markets', doc: 'every market: id, symbol, tick and lot sizes, limits', scope: undefined, weight: 2, signable: false, fields: {} },
  { op: 'place', doc: 'places one order', scope: 'trade', weight: 1, signable: true, fields: ORDER_FIELDS },
  {
    op: 'batchPlace',
    doc: `places up to ${MAX_BATCH} orders; one result per item, in order`,
    scope: 'trade',
    weight: 1,
    signable: true,
    fields: { orders: req(array(object(ORDER_FIELDS), MAX_BATCH), `1 to ${MAX_BATCH} orders, each with the fields of place`) },
  },
  { op: 'cancel', doc: 'cancels one order by orderId or clientOrderId', scope: 'trade', weight: 1, signable: true, fields: target },
  {
    op: 'amend',
    doc: 'changes price and/or total quantity of a resting order',
    scope: 'trade',
    weight: 1,
    signable: true,
    fields: { ...target, price: opt(uint(), 'new price in ticks (absent: unchanged)'), qty: opt(uint(), 'new total quantity in lots (absent: unchanged)') },
  },
  {
    op: 'cancelReplace',
    doc: 'cancels an order and, only if the cancel succeeded, places another',
    scope: 'trade',
    weight: 2,
    signable: true,
    fields: { ...target, order: req(object(ORDER_FIELDS), 'the new order, fields of place') },
  },
  { op: 'cancelAll', doc: 'cancels every open order of the account, in one market or all', scope: 'trade', weight: 5, signable: true, fields: { market: opt(uint(0xffff), 'market id (absent: every market)') } },
  {
    op: 'cancelAllAfter',
    doc: 'dead-man switch: cancel every open order unless re-armed within ms; 0 disarms',
    scope: 'trade',
    weight: 1,
    signable: false,
    fields: { ms: req(uint(3_600_000), 'milliseconds, 0 disarms; at least 1,000 otherwise') },
  },
  { op: 'setLeverage', doc: 'sets the leverage of one market', scope: 'trade', weight: 2, signable: true, fields: { market: req(uint(0xffff), 'market id'), leverage: req(uint(0xffff), 'leverage, a whole number ≥ 1') } },
  { op: 'setMarginMode', doc: 'cross or isolated margin for one market', scope: 'trade', weight: 2, signable: true, fields: { market: req(uint(0xffff), 'market id'), mode: req(oneOf('cross', 'isolated'), 'cross | isolated') } },
  {
    op: 'adjustIsolatedMargin',
    doc: 'moves collateral into (> 0) or out of (< 0) an isolated position',
    scope: 'trade',
    weight: 2,
    signable: true,
    fields: { market: req(uint(0xffff), 'market id'), amount: req(atoms(), 'collateral atoms, signed') },
  },
  {
    op: 'withdraw',
    doc: 'withdraws collateral, idempotent by withdrawalId',
    scope: 'withdraw',
    weight: 5,
    signable: true,
    fields: { amount: req(atoms(1n), 'collateral atoms, > 0'), withdrawalId: req(uint(MAX_WITHDRAWAL_ID), 'the trader’s id of this withdrawal, 1 to 2^51 − 1, unique per account: a repeat returns the first one’s result') },
  },
  { op: 'depositRequest', doc: 'asks the operator to credit a deposit (the operator side credits it)', scope: 'trade', weight: 5, signable: true, fields: { amount: req(atoms(1n), 'collateral atoms, > 0'), reference: opt(str(128), 'the trader’s transfer reference') } },
  { op: 'openOrders', doc: 'the account’s open orders', scope: 'read', weight: 5, signable: false, fields: { market: opt(uint(0xffff), 'market id (absent: all)') } },
  { op: 'orderHistory', doc: 'the account’s ended orders, newest first', scope: 'read', weight: 5, signable: false, fields: { limit: opt(uint(1000), 'at most this many (default 100)') } },
  { op: 'fills', doc: 'the account’s fills, newest first', scope: 'read', weight: 5, signable: false, fields: { limit: opt(uint(1000), 'at most this many (default 100)') } },
  { op: 'positions', doc: 'the account’s positions', scope: 'read', weight: 5, signable: false, fields: {} },
  { op: 'balances', doc: 'the account’s balances and margin', scope: 'read', weight: 5, signable: false, fields: {} },
  { op: 'subscribe', doc: 'subscribes to a market-data channel', scope: undefined, weight: 2, signable: false, fields: { channel: req(str(64), 'channel name'), market: opt(uint(0xffff), 'market id, for per-market channels') } },
  { op: 'unsubscribe', doc: 'ends a subscription', scope: undefined, weight: 1, signable: false, fields: { channel: req(str(64), 'channel name'), market: opt(uint(0xffff), 'market id') } },
];

export const REQUESTS: ReadonlyMap<string, RequestDef> = new Map(defs.map((d) => [d.op, d]));

/** The `t` of every message the server sends. */
export const SERVER_MESSAGES = {
  res: 'the response to one request: { t, id, ok, rx, tx, rl, data | error }',
  user: 'one user-stream event: { t, epoch, seq, kind, ... }',
  userSnapshot: 'the account state a resume could not replay: { t, epoch, seq, orders, positions, balance }',
  notice: 'a connection-level error before the server closes: { t, code, name, message }',
  md: 'one market-data message of a subscribed channel (docs/PROTOCOL.md, channels)',
} as const;

/** The `kind` of every user-stream event. */
export const USER_EVENT_KINDS = ['order', 'fill', 'position', 'balance', 'marginCall', 'liquidation', 'adl'] as const;
export type UserEventKind = (typeof USER_EVENT_KINDS)[number];
