// Read-only views of the fast book: depth, the canonical order list and the state hash. They walk the
// structures in canonical order (bids best first FIFO, asks best first FIFO, stops by orderId) and
// allocate freely: tests, snapshots and tools call them, never the matching path.

import { Side, StpMode } from '../enums.js';
import type { AccountTable } from './account-table.js';
import { reducibleLots } from './order-rules.js';
import { FLAG_REDUCE_ONLY, flagOrigin, flagSide, flagSource, flagStp, flagTif, flagType, hashFlags, type OrderPool } from './order-pool.js';
import type { PriceLevels } from './price-levels.js';
import { StateHash } from './state-hash.js';
import type { StopBook } from './stop-book.js';
import type { LevelView, OrderView } from './types.js';

export interface BookParts {
  readonly pool: OrderPool;
  readonly priceLevels: PriceLevels;
  readonly accounts: AccountTable;
  readonly stops: StopBook;
}

export function depth(b: BookParts, side: Side, maxLevels: number): LevelView[] {
  const l = b.priceLevels;
  const s = l.sides[side]!;
  const out: LevelView[] = [];
  for (let i = s.len - 1; i >= 0 && out.length < maxLevels; i--) {
    const lv = s.slots[i]!;
    // Dormant levels (price-levels.ts) are no levels.
    if (l.countOf(lv) === 0) continue;
    out.push({ priceTicks: l.priceOf(lv), qtyLots: l.qtyOf(lv), orderCount: l.countOf(lv) });
  }
  return out;
}

/**
 * Depth as a taker can trade it (Book.takeableLevels): each reduce-only maker counts only what its
 * account can still reduce, in priority order, as the matching would clip it.
 */
export function takeableDepth(b: BookParts, side: Side, maxLevels: number): LevelView[] {
  const l = b.priceLevels;
  const s = l.sides[side]!;
  const out: LevelView[] = [];
  const taken = new Map<number, number>();
  for (let i = s.len - 1; i >= 0 && out.length < maxLevels; i--) {
    const lv = s.slots[i]!;
    if (l.countOf(lv) === 0) continue;
    let qty = 0;
    for (let o = l.headOf(lv); o >= 0; o = b.pool.next(o)) {
      let rem = b.pool.remainingLots(o);
      if ((b.pool.flags(o) & FLAG_REDUCE_ONLY) !== 0) {
        const acct = b.pool.account(o);
        const room = reducibleLots(b.accounts.positionOf(acct), side) - (taken.get(acct) ?? 0);
        if (room < rem) rem = room > 0 ? room : 0;
        taken.set(acct, (taken.get(acct) ?? 0) + rem);
      }
      qty += rem;
    }
    if (qty > 0) out.push({ priceTicks: l.priceOf(lv), qtyLots: qty, orderCount: l.countOf(lv) });
  }
  return out;
}

/** Resting slots of one side in priority order. */
function restingSlots(b: BookParts, side: Side): number[] {
  const l = b.priceLevels;
  const s = l.sides[side]!;
  const out: number[] = [];
  for (let i = s.len - 1; i >= 0; i--) {
    for (let o = l.headOf(s.slots[i]!); o >= 0; o = b.pool.next(o)) out.push(o);
  }
  return out;
}

function stopSlots(b: BookParts): number[] {
  const out: number[] = [];
  b.stops.forEach((slot) => out.push(slot));
  return out.sort((x, y) => b.pool.orderId(x) - b.pool.orderId(y));
}

/** The view of the order in `slot`. */
export function orderView(b: BookParts, slot: number): OrderView {
  const p = b.pool;
  const f = p.flags(slot);
  return {
    orderId: p.orderId(slot),
    accountId: b.accounts.idOf(p.account(slot)),
    clientOrderId: p.clientOrderIdOf(slot),
    side: flagSide(f) as Side,
    orderType: flagType(f) as OrderView['orderType'],
    timeInForce: flagTif(f) as OrderView['timeInForce'],
    stpMode: flagStp(f) as OrderView['stpMode'],
    triggerSource: flagSource(f) as OrderView['triggerSource'],
    reduceOnly: (f & FLAG_REDUCE_ONLY) !== 0,
    origin: flagOrigin(f) as OrderView['origin'],
    priceTicks: p.priceTicks(slot),
    qtyLots: p.qtyLots(slot),
    remainingLots: p.remainingLots(slot),
    triggerPriceTicks: p.triggerOf(slot),
    timeUs: p.timeUs(slot),
  };
}

export function orderViews(b: BookParts): OrderView[] {
  return [...restingSlots(b, Side.BUY), ...restingSlots(b, Side.SELL), ...stopSlots(b)].map((s) => orderView(b, s));
}

/** The canonical state hash (state-hash.ts documents the sequence). */
export function stateHash(b: BookParts, nextTradeId: number, lastTradePriceTicks: number, markPriceTicks: number): bigint {
  const h = new StateHash();
  const p = b.pool;
  h.begin();
  for (const group of [restingSlots(b, Side.BUY), restingSlots(b, Side.SELL), stopSlots(b)]) {
    h.int(group.length);
    for (const s of group) {
      const f = p.flags(s);
      h.order(p.orderId(s), b.accounts.idOf(p.account(s)), p.clientOrderIdOf(s), flagSide(f), p.priceTicks(s), p.qtyLots(s), p.remainingLots(s), hashFlags(f), p.triggerOf(s));
    }
  }
  const a = b.accounts;
  const positions: [number, number][] = [];
  const stp: [number, number][] = [];
  for (let s = 0; s < a.size; s++) {
    if (a.positionOf(s) !== 0) positions.push([a.idOf(s), a.positionOf(s)]);
    if (a.stpOf(s) !== StpMode.EXPIRE_TAKER) stp.push([a.idOf(s), a.stpOf(s)]);
  }
  for (const list of [positions, stp]) {
    list.sort((x, y) => x[0] - y[0]);
    h.int(list.length);
    for (const [accountId, v] of list) {
      h.int(accountId);
      h.int(v);
    }
  }
  h.int(nextTradeId);
  h.int(lastTradePriceTicks);
  h.int(markPriceTicks);
  return h.digest();
}
