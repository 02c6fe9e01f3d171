// Loader for the real Bitfinex order-by-order feed in test/fixtures/l3 (PROVENANCE.md there): turns it
// into typed add / modify / delete events in integer ticks and lots, plus the market to replay it in.
//
// Exactness: the file's numbers carry up to 8 decimals and some are written with an exponent (1e-05).
// They never pass through a float: a small JSON reader keeps each number's source text, the exponent is
// applied by moving the decimal point in the text, and MarketSpec converts the decimal exactly.
//
// Order of delivery. The feed's own book is briefly crossed twice (a bid at or above the best ask until a
// later update moves the ask away: 21 updates in all). A matching engine would trade there, so by
// default ('uncrossed') an update that would cross the book is held back and delivered as soon as it no
// longer crosses; later updates of the same order wait behind it. Everything else keeps feed order, and
// each event carries the index of its frame in the file so a replay can tell where it has caught up.
// order 'feed' delivers every update in file order.

import { readFileSync } from 'node:fs';
import { Side } from '../../engine/enums.js';
import { MarketSpec, type MarketConfig } from '../../engine/market/spec.js';
import { fixture } from './paths.js';

const BITFINEX_L3_FILE = fixture('l3', 'bitfinex_L3_feed_tBTCUSD.json');

/** The market to replay the feed in: 1e-8 ticks and lots, no band, one order per account. */
export const BITFINEX_L3_MARKET: MarketConfig = {
  marketId: 901,
  symbol: 'BFX-TBTCUSD',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  tickSize: '0.00000001',
  lotSize: '0.00000001',
  minQtyLots: 1,
  /** 1,000 BTC; with maxOrders 2^16 the product stays below 2^53 as MarketSpec requires. */
  maxQtyLots: 100_000_000_000,
  /** 1,000,000 USD. */
  maxPriceTicks: 100_000_000_000_000,
  priceBandBps: 0,
  marketSlippageBps: 100,
  maxOpenOrdersPerAccount: 1,
  maxOrders: 1 << 16,
  /** tick · lot = 1e-16 USD: 16 decimals make it exactly one atom. */
  collateralDecimals: 16,
};

export const L3Kind = { ADD: 0, MODIFY: 1, DELETE: 2 } as const;
export type L3Kind = (typeof L3Kind)[keyof typeof L3Kind];

export interface L3Event {
  kind: L3Kind;
  /** Index of the frame in the file's JSON array: 0-1 info, 2 the snapshot, 3... updates. */
  frame: number;
  orderId: number;
  /** One account per feed order, numbered from 1 in order of appearance. */
  accountId: number;
  /** ADD and MODIFY: the order after the event. DELETE: the order as it was. */
  side: Side;
  priceTicks: number;
  qtyLots: number;
  /** MODIFY: the order before the event (a side flip shows as prevSide ≠ side). */
  prevSide: Side;
  prevPriceTicks: number;
  prevQtyLots: number;
}

export interface BitfinexL3Feed {
  config: MarketConfig;
  spec: MarketSpec;
  /** The snapshot's orders as ADD events, then the updates in delivery order. */
  events: L3Event[];
  snapshotCount: number;
  /** Updates delivered later than their place in the file because they would have crossed the book. */
  deferred: number;
}

// ---- JSON with numbers kept as text ------------------------------------------------------------------

class JsonNumber {
  constructor(readonly text: string) {}
}
type Json = JsonNumber | string | boolean | null | Json[] | { [key: string]: Json };

/** A minimal JSON reader that keeps every number's source text (no float ever made from it). */
export function parseJsonKeepingNumbers(text: string): Json {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`JSON: ${what} at offset ${i}`);
  };
  const value = (): Json => {
    ws();
    const c = text[i];
    if (c === '[') {
      i++;
      const out: Json[] = [];
      ws();
      if (text[i] === ']') return i++, out;
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, out;
        else fail('expected , or ]');
      }
    }
    if (c === '{') {
      i++;
      const out: { [key: string]: Json } = {};
      ws();
      if (text[i] === '}') return i++, out;
      for (;;) {
        ws();
        const key = value();
        if (typeof key !== 'string') fail('expected a key');
        ws();
        if (text[i++] !== ':') fail('expected :');
        out[key as string] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, out;
        else fail('expected , or }');
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i, i + 10_000));
      if (!m) return fail('bad string');
      i += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const lit = /^(?:true|false|null)/.exec(text.slice(i, i + 5));
    if (lit) {
      i += lit[0].length;
      return lit[0] === 'null' ? null : lit[0] === 'true';
    }
    const num = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!num) return fail('unexpected character');
    i += num[0].length;
    return new JsonNumber(num[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/** A JSON number's text as a plain decimal (no exponent), by moving the point in the text. */
export function jsonNumberToDecimal(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new SyntaxError(`not a JSON number: ${text}`);
  const [, sign, int, frac = '', exp = '0'] = m;
  const digits = int! + frac;
  const point = int!.length + Number(exp);
  let whole: string;
  let fraction: string;
  if (point <= 0) {
    whole = '0';
    fraction = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + '0'.repeat(point - digits.length);
    fraction = '';
  } else {
    whole = digits.slice(0, point);
    fraction = digits.slice(point);
  }
  whole = whole.replace(/^0+(?=\d)/, '');
  fraction = fraction.replace(/0+$/, '');
  return sign + whole + (fraction ? '.' + fraction : '');
}

// ---- the feed ----------------------------------------------------------------------------------------

interface Row {
  frame: number;
  orderId: number;
  /** 0 deletes. */
  priceTicks: number;
  side: Side;
  qtyLots: number;
}

function num(v: Json, what: string): string {
  if (!(v instanceof JsonNumber)) throw new TypeError(`feed: ${what} is not a number`);
  return v.text;
}

function toRow(spec: MarketSpec, frame: number, entry: Json): Row {
  if (!Array.isArray(entry) || entry.length !== 3) throw new TypeError(`feed frame ${frame}: expected [id, price, amount]`);
  const orderId = Number(num(entry[0]!, 'orderId'));
  if (!Number.isSafeInteger(orderId) || orderId <= 0) throw new RangeError(`feed frame ${frame}: bad order id`);
  const price = jsonNumberToDecimal(num(entry[1]!, 'price'));
  const amount = jsonNumberToDecimal(num(entry[2]!, 'amount'));
  const side = amount.startsWith('-') ? Side.SELL : Side.BUY;
  if (price === '0') return { frame, orderId, priceTicks: 0, side, qtyLots: 0 };
  const p = spec.priceToTicks(price);
  const q = spec.qtyToLots(amount.replace(/^-/, ''));
  if (!p.ok || !q.ok) throw new RangeError(`feed frame ${frame}: ${price} × ${amount} is not on the market's grid`);
  return { frame, orderId, priceTicks: Number(p.units), side, qtyLots: Number(q.units) };
}

/** Reads the file into rows: the snapshot's, then one per update. */
function readRows(spec: MarketSpec, path: string): { snapshot: Row[]; updates: Row[] } {
  const frames = parseJsonKeepingNumbers(readFileSync(path, 'utf8'));
  if (!Array.isArray(frames)) throw new TypeError('feed: expected a JSON array');
  const snapshot: Row[] = [];
  const updates: Row[] = [];
  frames.forEach((frame, index) => {
    if (!Array.isArray(frame)) return; // info and subscription events
    const body = frame[1]!;
    if (Array.isArray(body) && Array.isArray(body[0])) {
      for (const entry of body) snapshot.push(toRow(spec, index, entry));
    } else {
      updates.push(toRow(spec, index, body));
    }
  });
  return { snapshot, updates };
}

interface Resting {
  side: Side;
  priceTicks: number;
  qtyLots: number;
  accountId: number;
}

export function loadBitfinexL3(options: { path?: string; order?: 'uncrossed' | 'feed' } = {}): BitfinexL3Feed {
  const spec = new MarketSpec(BITFINEX_L3_MARKET);
  const { snapshot, updates } = readRows(spec, options.path ?? BITFINEX_L3_FILE);
  const book = new Map<number, Resting>();
  const accounts = new Map<number, number>();
  const events: L3Event[] = [];

  const deliver = (r: Row): void => {
    const was = book.get(r.orderId);
    if (r.priceTicks === 0) {
      if (!was) throw new Error(`feed frame ${r.frame}: delete of unknown order ${r.orderId}`);
      book.delete(r.orderId);
      events.push({ kind: L3Kind.DELETE, frame: r.frame, orderId: r.orderId, accountId: was.accountId, side: was.side, priceTicks: was.priceTicks, qtyLots: was.qtyLots, prevSide: was.side, prevPriceTicks: was.priceTicks, prevQtyLots: was.qtyLots });
      return;
    }
    if (!accounts.has(r.orderId)) accounts.set(r.orderId, accounts.size + 1);
    const accountId = accounts.get(r.orderId)!;
    book.set(r.orderId, { side: r.side, priceTicks: r.priceTicks, qtyLots: r.qtyLots, accountId });
    events.push({
      kind: was ? L3Kind.MODIFY : L3Kind.ADD,
      frame: r.frame,
      orderId: r.orderId,
      accountId,
      side: r.side,
      priceTicks: r.priceTicks,
      qtyLots: r.qtyLots,
      prevSide: was?.side ?? r.side,
      prevPriceTicks: was?.priceTicks ?? 0,
      prevQtyLots: was?.qtyLots ?? 0,
    });
  };

  /** Whether applying r now would leave a bid at or above an ask. */
  const crosses = (r: Row): boolean => {
    if (r.priceTicks === 0) return false;
    for (const [id, o] of book) {
      if (id === r.orderId || o.side === r.side) continue;
      if (r.side === Side.BUY ? r.priceTicks >= o.priceTicks : r.priceTicks <= o.priceTicks) return true;
    }
    return false;
  };

  for (const r of snapshot) deliver(r);
  const held: Row[] = [];
  let deferred = 0;
  for (const r of updates) {
    if (options.order !== 'feed' && (held.some((h) => h.orderId === r.orderId) || crosses(r))) {
      held.push(r);
      deferred++;
      continue;
    }
    deliver(r);
    for (let i = 0; i < held.length; i++) {
      const h = held[i]!;
      if (held.slice(0, i).some((e) => e.orderId === h.orderId) || crosses(h)) continue;
      held.splice(i, 1);
      deliver(h);
      i = -1;
    }
  }
  if (held.length > 0) throw new Error(`feed: ${held.length} updates still cross the book at the end (first at frame ${held[0]!.frame})`);
  return { config: BITFINEX_L3_MARKET, spec, events, snapshotCount: snapshot.length, deferred };
}
