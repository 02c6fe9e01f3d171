// The fields of one new order, shared by place, each item of batchPlace and the order of cancelReplace.
// Values are the engine's (engine/enums.ts) under readable names; prices in ticks, quantities in lots of
// the market (the `markets` response gives tick and lot sizes).

import { OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../../engine/enums.js';
import { bool, oneOf, opt, req, uint, type Fields } from './schema.js';

export const SIDES = { buy: Side.BUY, sell: Side.SELL } as const;
export const ORDER_TYPES = {
  limit: OrderType.LIMIT,
  market: OrderType.MARKET,
  stopMarket: OrderType.STOP_MARKET,
  stopLimit: OrderType.STOP_LIMIT,
  takeProfitMarket: OrderType.TAKE_PROFIT_MARKET,
  takeProfitLimit: OrderType.TAKE_PROFIT_LIMIT,
} as const;
export const TIME_IN_FORCE = { gtc: TimeInForce.GTC, ioc: TimeInForce.IOC, fok: TimeInForce.FOK, postOnly: TimeInForce.POST_ONLY } as const;
export const STP_MODES = { default: StpMode.DEFAULT, expireTaker: StpMode.EXPIRE_TAKER, expireMaker: StpMode.EXPIRE_MAKER, expireBoth: StpMode.EXPIRE_BOTH } as const;
export const TRIGGER_SOURCES = { mark: TriggerSource.MARK, last: TriggerSource.LAST } as const;

/** Names by engine value, for responses and user-stream events. */
export function nameOf<T extends Record<string, number>>(table: T, value: number): keyof T | 'unknown' {
  let names = byValue.get(table);
  if (names === undefined) {
    names = new Map();
    // The first name of a value wins, as a scan in key order would find it.
    for (const [k, v] of Object.entries(table)) if (!names.has(v)) names.set(v, k);
    byValue.set(table, names);
  }
  return names.get(value) ?? 'unknown';
}

/** Each table's names by value, built on first use (tables are constants: never changed after). */
const byValue = new WeakMap<object, Map<number, string>>();

const keys = <T extends object>(t: T) => Object.keys(t) as string[];

/** Largest client order id: u53 (0 means none, so it is not accepted here). */
const MAX_CLIENT_ORDER_ID = Number.MAX_SAFE_INTEGER;

export const ORDER_FIELDS: Fields = {
  market: req(uint(0xffff), 'market id (u16)'),
  side: req(oneOf(...keys(SIDES)), 'buy | sell'),
  type: req(oneOf(...keys(ORDER_TYPES)), 'limit | market | stopMarket | stopLimit | takeProfitMarket | takeProfitLimit'),
  qty: req(uint(), 'quantity in lots'),
  price: opt(uint(), 'limit price in ticks; for market types the worst fill price (absent: the market default slippage)'),
  tif: opt(oneOf(...keys(TIME_IN_FORCE)), 'gtc (default) | ioc | fok | postOnly'),
  trigger: opt(uint(), 'trigger price in ticks (stop and take-profit types only)'),
  triggerBy: opt(oneOf(...keys(TRIGGER_SOURCES)), 'mark (default) | last'),
  stp: opt(oneOf(...keys(STP_MODES)), 'self-trade prevention: default (the account setting) | expireTaker | expireMaker | expireBoth'),
  reduceOnly: opt(bool, 'true: may only reduce the position'),
  clientOrderId: opt(uint(MAX_CLIENT_ORDER_ID), 'the trader’s own id, 1 to 2^53−1; a repeat returns the original result'),
};
