// The fast book's section of a market-shard snapshot (docs/SNAPSHOTS.md, "BOOK"): what decides the book's
// future, and nothing of how its memory happens to be laid out.
//
//   scalars    nextTradeId, last trade price, mark                                       uint ×3
//   accounts   count, then per account slot in slot order: accountId uint, position int, STP u8
//   orders     bid level count, ask level count, the four stop lists' lengths (uint)
//              i32 column: orders per level, bids best first, then asks best first
//              f64 columns orderId, priceTicks, qtyLots, remainingLots, timeUs and i32 columns account
//              slot, flags (order-pool.ts), every open order in canonical order: bids best price first
//              FIFO, asks the same, then each stop list in its array order
//              count + f64 column of clientOrderIds (orders flagged HAS_CLIENT_ID, in order)
//              count + f64 column of trigger prices (orders of a stop or take-profit type, in order)
//
// Rebuilt, not carried: pool slots and free list, the orderId ring and overflow hash, the client-id
// hash, level records and the price cache, dormant levels, reduce-only lists, open-order counts. None of
// them reaches an output: matching walks levels by price and FIFO, every order id list the book acts on
// (cancel-all, reduce-only clean-up) is sorted by orderId first, stop lists are ordered by trigger then
// orderId, and the L2 diff reports by (side, price). Account slots are kept in their order because orders
// refer to them. The decoded book is checked field by field before anything is built (book-core.ts
// restoreOpenOrder trusts its caller), so bad bytes end in a SnapshotError, never in a broken book.
//
// Thread contract: the market-shard thread (encode) or the decoding thread.

import { OrderType, Side, StpMode, TimeInForce } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import { malformed } from '../snapshot/snapshot-error.js';
import type { SnapshotReader } from '../snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../snapshot/snapshot-writer.js';
import type { BookScalars, RestoredOrder } from './book-core.js';
import { FLAG_HAS_CLIENT_ID, FLAG_REDUCE_ONLY, flagOrigin, flagSide, flagSource, flagStp, flagTif, flagType } from './order-pool.js';
import type { OrderBook } from './order-book.js';
import { firesOnRise, isLimitPriced, isTriggerType, reducibleLots } from './order-rules.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Every bit the flags word may use: six nibbles' worth of enums minus unused bits 17-19, side, HAS_CLIENT_ID. */
const FLAG_BITS = 0xffff | FLAG_REDUCE_ONLY | (0xf << 20) | (1 << 24) | FLAG_HAS_CLIENT_ID;

function isInt(v: number, lo: number, hi: number): boolean {
  return Number.isSafeInteger(v) && v >= lo && v <= hi;
}

export function writeBook(w: SnapshotWriter, book: OrderBook): void {
  const s = book.snapshotScalars();
  w.uint(s.nextTradeId);
  w.uint(s.lastPriceTicks);
  w.uint(s.markPriceTicks);
  const a = book.accounts;
  w.uint(a.size);
  for (let i = 0; i < a.size; i++) {
    w.uint(a.idOf(i));
    w.int(a.positionOf(i));
    w.u8(a.stpOf(i));
  }

  const levels = book.priceLevels;
  const pool = book.pool;
  const slots: number[] = [];
  const perLevel: number[] = [];
  const levelsPerSide = [0, 0];
  for (const side of [Side.BUY, Side.SELL]) {
    const sorted = levels.sides[side]!;
    for (let i = sorted.len - 1; i >= 0; i--) {
      const lv = sorted.slots[i]!;
      // Dormant levels (price-levels.ts) hold no orders and are no levels.
      if (levels.countOf(lv) === 0) continue;
      let n = 0;
      for (let o = levels.headOf(lv); o >= 0; o = pool.next(o)) {
        slots.push(o);
        n++;
      }
      perLevel.push(n);
      levelsPerSide[side]!++;
    }
  }
  const stopLengths = book.stops.lists.map((l) => l.len);
  for (const l of book.stops.lists) for (let i = 0; i < l.len; i++) slots.push(l.slots[i]!);

  w.uint(levelsPerSide[0]!);
  w.uint(levelsPerSide[1]!);
  for (const n of stopLengths) w.uint(n);
  w.i32s(Int32Array.from(perLevel));
  const n = slots.length;
  const cols = [0, 1, 2, 3, 4].map(() => new Float64Array(n));
  const account = new Int32Array(n);
  const flags = new Int32Array(n);
  const clientIds: number[] = [];
  const triggers: number[] = [];
  for (let k = 0; k < n; k++) {
    const slot = slots[k]!;
    cols[0]![k] = pool.orderId(slot);
    cols[1]![k] = pool.priceTicks(slot);
    cols[2]![k] = pool.qtyLots(slot);
    cols[3]![k] = pool.remainingLots(slot);
    cols[4]![k] = pool.timeUs(slot);
    account[k] = pool.account(slot);
    const f = pool.flags(slot);
    flags[k] = f;
    if ((f & FLAG_HAS_CLIENT_ID) !== 0) clientIds.push(pool.clientOrderId[slot]!);
    if (isTriggerType(flagType(f))) triggers.push(pool.triggerPriceTicks[slot]!);
  }
  for (const c of cols) w.f64s(c);
  w.i32s(account);
  w.i32s(flags);
  w.uint(clientIds.length);
  w.f64s(Float64Array.from(clientIds));
  w.uint(triggers.length);
  w.f64s(Float64Array.from(triggers));
}

/** Reads a BOOK section into `book`, which must be fresh (no order, no account, counters at their start). */
export function readBook(r: SnapshotReader, book: OrderBook): void {
  const spec = book.spec;
  const scalars: BookScalars = { nextTradeId: r.uint(), lastPriceTicks: r.uint(), markPriceTicks: r.uint() };
  if (scalars.nextTradeId < 1 || scalars.lastPriceTicks > spec.maxPriceTicks || scalars.markPriceTicks > spec.maxPriceTicks) {
    throw malformed(`${r.what}: nextTradeId ${scalars.nextTradeId}, last ${scalars.lastPriceTicks}, mark ${scalars.markPriceTicks}`);
  }
  const accountCount = r.count(3);
  const a = book.accounts;
  for (let i = 0; i < accountCount; i++) {
    const id = r.uint();
    const position = r.int();
    const stp = r.u8();
    if (id > 0xffff_ffff || a.find(id) >= 0) throw malformed(`${r.what}: account ${id} out of range or listed twice`);
    if (stp !== StpMode.EXPIRE_TAKER && stp !== StpMode.EXPIRE_MAKER && stp !== StpMode.EXPIRE_BOTH) throw malformed(`${r.what}: account ${id} has STP mode ${stp}`);
    const slot = a.findOrAdd(id);
    a.setPosition(slot, position);
    a.setStp(slot, stp);
  }

  const bidLevels = r.uint();
  const askLevels = r.uint();
  const stopLengths = [r.uint(), r.uint(), r.uint(), r.uint()];
  if (bidLevels + askLevels > r.remaining / 4) throw malformed(`${r.what}: ${bidLevels + askLevels} levels`);
  const perLevel = r.i32s(bidLevels + askLevels);
  let n = stopLengths[0]! + stopLengths[1]! + stopLengths[2]! + stopLengths[3]!;
  for (let i = 0; i < perLevel.length; i++) {
    if (perLevel[i]! < 1) throw malformed(`${r.what}: level ${i} holds ${perLevel[i]} orders`);
    n += perLevel[i]!;
  }
  if (n > spec.maxOrders) throw malformed(`${r.what}: ${n} open orders in a book of at most ${spec.maxOrders}`);
  if (n * 48 > r.remaining) throw malformed(`${r.what}: ${n} orders need more bytes than the ${r.remaining} left`);
  const orderId = r.f64s(n);
  const price = r.f64s(n);
  const qty = r.f64s(n);
  const remaining = r.f64s(n);
  const time = r.f64s(n);
  const account = r.i32s(n);
  const flags = r.i32s(n);
  const clientIds = r.f64s(r.count(8));
  const triggers = r.f64s(r.count(8));
  r.done();

  // Check every order before the book sees any (restoreOpenOrder trusts its caller).
  const clientAt = new Int32Array(n).fill(-1);
  const triggerAt = new Int32Array(n).fill(-1);
  let clients = 0;
  let stops = 0;
  const o: RestoredOrder = { orderId: 0, accountSlot: 0, priceTicks: 0, qtyLots: 0, remainingLots: 0, timeUs: 0, flags: 0, clientOrderId: 0, triggerPriceTicks: 0 };
  const load = (k: number): RestoredOrder => {
    o.orderId = orderId[k]!;
    o.accountSlot = account[k]!;
    o.priceTicks = price[k]!;
    o.qtyLots = qty[k]!;
    o.remainingLots = remaining[k]!;
    o.timeUs = time[k]!;
    o.flags = flags[k]!;
    o.clientOrderId = clientAt[k]! >= 0 ? clientIds[clientAt[k]!]! : 0;
    o.triggerPriceTicks = triggerAt[k]! >= 0 ? triggers[triggerAt[k]!]! : 0;
    return o;
  };
  for (let k = 0; k < n; k++) {
    const f = flags[k]!;
    if ((f & FLAG_HAS_CLIENT_ID) !== 0) clientAt[k] = clients++;
    if (isTriggerType(flagType(f))) triggerAt[k] = stops++;
    if (clients > clientIds.length || stops > triggers.length) throw malformed(`${r.what}: more orders with client ids or triggers than the ${clientIds.length} and ${triggers.length} listed`);
    const bad = checkOrder(load(k), spec, accountCount);
    if (bad !== '') throw malformed(`${r.what}: order ${k} (id ${o.orderId}): ${bad}`);
  }
  if (clients !== clientIds.length || stops !== triggers.length) throw malformed(`${r.what}: ${clientIds.length} client ids and ${triggers.length} trigger prices for ${clients} and ${stops} orders`);

  book.restoreScalars(scalars);
  book.reserveForRestore(n);
  // Resting orders, level by level, each side worst level first (every new level then tops its side).
  let first = 0;
  const levelStart: number[] = [];
  for (let i = 0; i < perLevel.length; i++) {
    levelStart.push(first);
    first += perLevel[i]!;
  }
  for (const [side, from, count] of [[Side.BUY, 0, bidLevels], [Side.SELL, bidLevels, askLevels]] as const) {
    let better = NaN;
    for (let i = 0; i < count; i++) {
      const p = price[levelStart[from + i]!]!;
      if (p < 1) throw malformed(`${r.what}: a level at price ${p}`);
      // Best first: bids strictly descending, asks strictly ascending.
      if (i > 0 && (side === Side.BUY ? p >= better : p <= better)) throw malformed(`${r.what}: ${side === Side.BUY ? 'bid' : 'ask'} level ${i} at ${p} after ${better}`);
      better = p;
    }
    for (let i = count - 1; i >= 0; i--) {
      const start = levelStart[from + i]!;
      const p = price[start]!;
      for (let k = start; k < start + perLevel[from + i]!; k++) {
        const f = flags[k]!;
        if (flagSide(f) !== side || price[k] !== p) throw malformed(`${r.what}: order ${orderId[k]} at ${price[k]} side ${flagSide(f)} in a level at ${p}`);
        if (!isLimitPriced(flagType(f)) || (flagTif(f) !== TimeInForce.GTC && flagTif(f) !== TimeInForce.POST_ONLY)) throw malformed(`${r.what}: order ${orderId[k]} rests with type ${flagType(f)} and time in force ${flagTif(f)}`);
        if ((f & FLAG_REDUCE_ONLY) !== 0 && reducibleLots(a.positionOf(account[k]!), side) === 0) throw malformed(`${r.what}: reduce-only order ${orderId[k]} rests with nothing to reduce`);
        restore(book, load(k), false, r.what);
      }
    }
  }
  const bestBid = book.bestBid();
  const bestAsk = book.bestAsk();
  if (bestBid > 0 && bestAsk > 0 && bestBid >= bestAsk) throw malformed(`${r.what}: crossed book, bid ${bestBid} ask ${bestAsk}`);
  // Stops, list by list in array order: the order the stop book keeps them in.
  let k = first;
  let prevKey = 0;
  let prevId = 0;
  for (let li = 0; li < 4; li++) {
    for (let i = 0; i < stopLengths[li]!; i++, k++) {
      load(k);
      const type = flagType(o.flags);
      if (!isTriggerType(type)) throw malformed(`${r.what}: order ${o.orderId} of type ${type} in stop list ${li}`);
      const rising = firesOnRise(type, flagSide(o.flags));
      if (flagSource(o.flags) * 2 + (rising ? 0 : 1) !== li) throw malformed(`${r.what}: stop ${o.orderId} in list ${li}`);
      const key = rising ? -o.triggerPriceTicks : o.triggerPriceTicks;
      if (i > 0 && (prevKey > key || (prevKey === key && prevId <= o.orderId))) throw malformed(`${r.what}: stop list ${li} out of order at ${o.orderId}`);
      prevKey = key;
      prevId = o.orderId;
      restore(book, o, true, r.what);
    }
  }
}

function restore(book: OrderBook, o: RestoredOrder, stop: boolean, what: string): void {
  if (book.orderIndex.find(o.orderId) >= 0) throw malformed(`${what}: order id ${o.orderId} listed twice`);
  if (o.clientOrderId !== 0 && book.clientIndex.find(o.accountSlot, o.clientOrderId) >= 0) throw malformed(`${what}: client order id ${o.clientOrderId} listed twice for one account`);
  book.restoreOpenOrder(o, stop);
}

/** '' when the order's fields are possible for this market, else what is wrong. */
function checkOrder(o: RestoredOrder, spec: MarketSpec, accounts: number): string {
  const f = o.flags;
  if ((f & ~FLAG_BITS) !== 0) return `flags 0x${(f >>> 0).toString(16)}`;
  if (flagType(f) > OrderType.TAKE_PROFIT_LIMIT || flagTif(f) > TimeInForce.POST_ONLY || flagStp(f) < StpMode.EXPIRE_TAKER || flagStp(f) > StpMode.EXPIRE_BOTH || flagSource(f) > 1 || flagOrigin(f) > 2) {
    return `flags 0x${(f >>> 0).toString(16)}`;
  }
  if (!isInt(o.orderId, 1, MAX_SAFE)) return 'order id';
  if (!isInt(o.accountSlot, 0, accounts - 1)) return `account slot ${o.accountSlot}`;
  if (!isInt(o.qtyLots, 1, spec.maxQtyLots) || !isInt(o.remainingLots, 1, o.qtyLots)) return `quantity ${o.qtyLots}, remaining ${o.remainingLots}`;
  if (!isInt(o.priceTicks, 0, spec.maxPriceTicks)) return `price ${o.priceTicks}`;
  if (!isInt(o.timeUs, 0, MAX_SAFE)) return `time ${o.timeUs}`;
  if ((f & FLAG_HAS_CLIENT_ID) !== 0 && !isInt(o.clientOrderId, 1, MAX_SAFE)) return `client order id ${o.clientOrderId}`;
  if (isTriggerType(flagType(f)) && !isInt(o.triggerPriceTicks, 1, spec.maxPriceTicks)) return `trigger price ${o.triggerPriceTicks}`;
  return '';
}
