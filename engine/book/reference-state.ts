// The reference book's state and its read-only views (depth, canonical order list, state hash), kept
// apart from the command logic in reference-book.ts. Every ordering is an explicit sort.

import { Side, StpMode } from '../enums.js';
import { reducibleLots } from './order-rules.js';
import { orderFlags, StateHash } from './state-hash.js';
import type { LevelView, OrderView } from './types.js';

export interface RefOrder extends OrderView {
  /** Queue position: set each time the order (re)enters a level; lower is earlier. */
  seq: number;
}

export interface RefState {
  /** Resting orders of both sides, in no particular order (every reader sorts). */
  resting: RefOrder[];
  /** Untriggered stop and take-profit orders. */
  stops: RefOrder[];
  /** Non-zero net positions in lots by account. */
  positions: Map<number, number>;
  /** Account STP defaults other than EXPIRE_TAKER. */
  stpDefaults: Map<number, StpMode>;
  nextTradeId: number;
  lastTradePrice: number;
  markPrice: number;
  nextSeq: number;
}

/** One side's resting orders best price first, FIFO within a price. */
function sideInPriority(state: RefState, side: Side): RefOrder[] {
  return state.resting
    .filter((o) => o.side === side)
    .sort((a, b) => (a.priceTicks !== b.priceTicks ? (side === Side.BUY ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks) : a.seq - b.seq));
}

export function referenceDepth(state: RefState, side: Side): LevelView[] {
  const levels: LevelView[] = [];
  for (const o of sideInPriority(state, side)) {
    const last = levels[levels.length - 1];
    if (last && last.priceTicks === o.priceTicks) {
      last.qtyLots += o.remainingLots;
      last.orderCount++;
    } else {
      levels.push({ priceTicks: o.priceTicks, qtyLots: o.remainingLots, orderCount: 1 });
    }
  }
  return levels;
}

/** Depth as a taker can trade it: a reduce-only maker counts what its account can still reduce, in priority order. */
export function referenceTakeableDepth(state: RefState, side: Side): LevelView[] {
  const taken = new Map<number, number>();
  const levels: LevelView[] = [];
  for (const o of sideInPriority(state, side)) {
    let rem = o.remainingLots;
    if (o.reduceOnly) {
      const room = reducibleLots(state.positions.get(o.accountId) ?? 0, side) - (taken.get(o.accountId) ?? 0);
      rem = Math.max(0, Math.min(rem, room));
      taken.set(o.accountId, (taken.get(o.accountId) ?? 0) + rem);
    }
    const last = levels[levels.length - 1];
    if (last && last.priceTicks === o.priceTicks) {
      last.qtyLots += rem;
      last.orderCount++;
    } else {
      levels.push({ priceTicks: o.priceTicks, qtyLots: rem, orderCount: 1 });
    }
  }
  return levels.filter((l) => l.qtyLots > 0);
}

function stopsById(state: RefState): RefOrder[] {
  return [...state.stops].sort((a, b) => a.orderId - b.orderId);
}

function view(o: RefOrder): OrderView {
  const { seq: _seq, ...rest } = o;
  return rest;
}

export function referenceOrderViews(state: RefState): OrderView[] {
  return [...sideInPriority(state, Side.BUY), ...sideInPriority(state, Side.SELL), ...stopsById(state)].map(view);
}

export function referenceHash(state: RefState): bigint {
  const h = new StateHash();
  h.begin();
  const put = (o: RefOrder): void =>
    h.order(o.orderId, o.accountId, o.clientOrderId, o.side, o.priceTicks, o.qtyLots, o.remainingLots, orderFlags(o.orderType, o.timeInForce, o.stpMode, o.triggerSource, o.reduceOnly, o.origin), o.triggerPriceTicks);
  for (const group of [sideInPriority(state, Side.BUY), sideInPriority(state, Side.SELL), stopsById(state)]) {
    h.int(group.length);
    group.forEach(put);
  }
  const positions = [...state.positions.entries()].filter(([, p]) => p !== 0).sort((a, b) => a[0] - b[0]);
  h.int(positions.length);
  for (const [accountId, lots] of positions) {
    h.int(accountId);
    h.int(lots);
  }
  const stp = [...state.stpDefaults.entries()].filter(([, m]) => m !== StpMode.EXPIRE_TAKER).sort((a, b) => a[0] - b[0]);
  h.int(stp.length);
  for (const [accountId, mode] of stp) {
    h.int(accountId);
    h.int(mode);
  }
  h.int(state.nextTradeId);
  h.int(state.lastTradePrice);
  h.int(state.markPrice);
  return h.digest();
}
