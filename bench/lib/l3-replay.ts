// The Bitfinex L3 feed (test/support/bitfinex-l3.ts) as book calls, prepared up front into typed arrays
// so the timed loop only calls the book. ADD → place (limit GTC), MODIFY → amend (only the fields that
// changed; a side flip, which amend cannot express, is cancel then place), DELETE → cancel. Ids, prices
// and quantities pass 2^32 here (1e-8 ticks and lots, ids near 6·10^10), so they sit in Float64Arrays:
// integers below 2^53, exact, as in the book's own pool.

import { Code } from '../../engine/codes.js';
import { CancelReason, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import type { Book, OrderRequest } from '../../engine/book/types.js';
import { L3Kind, type BitfinexL3Feed } from '../../test/support/bitfinex-l3.js';
import type { Depth } from './depth.js';

const ReplayOp = { PLACE: 0, AMEND: 1, CANCEL: 2, FLIP: 3, NONE: 4 } as const;
type ReplayOp = (typeof ReplayOp)[keyof typeof ReplayOp];

export interface L3Replay {
  readonly length: number;
  readonly op: Uint8Array;
  readonly side: Uint8Array;
  readonly accountId: Uint32Array;
  readonly orderId: Float64Array;
  /** PLACE and FLIP: the order. AMEND: the new price and total quantity, 0 where unchanged. */
  readonly priceTicks: Float64Array;
  readonly qtyLots: Float64Array;
  /** The feed's own book after the last event: what a correct replay leaves. */
  readonly expectedDepth: Depth;
  readonly expectedOpen: number;
}

export interface ReplayTally {
  failures: number;
  lastFailureCode: number;
}

export function prepareL3Replay(feed: BitfinexL3Feed): L3Replay {
  const n = feed.events.length;
  const r = {
    length: n,
    op: new Uint8Array(n),
    side: new Uint8Array(n),
    accountId: new Uint32Array(n),
    orderId: new Float64Array(n),
    priceTicks: new Float64Array(n),
    qtyLots: new Float64Array(n),
  };
  const open = new Map<number, { side: Side; priceTicks: number; qtyLots: number }>();
  feed.events.forEach((e, i) => {
    r.side[i] = e.side;
    r.accountId[i] = e.accountId;
    r.orderId[i] = e.orderId;
    r.priceTicks[i] = e.priceTicks;
    r.qtyLots[i] = e.qtyLots;
    if (e.kind === L3Kind.DELETE) {
      r.op[i] = ReplayOp.CANCEL;
      open.delete(e.orderId);
      return;
    }
    open.set(e.orderId, { side: e.side, priceTicks: e.priceTicks, qtyLots: e.qtyLots });
    if (e.kind === L3Kind.ADD) r.op[i] = ReplayOp.PLACE;
    else if (e.side !== e.prevSide) r.op[i] = ReplayOp.FLIP;
    else if (e.priceTicks === e.prevPriceTicks && e.qtyLots === e.prevQtyLots) r.op[i] = ReplayOp.NONE;
    else {
      r.op[i] = ReplayOp.AMEND;
      if (e.priceTicks === e.prevPriceTicks) r.priceTicks[i] = 0;
      if (e.qtyLots === e.prevQtyLots) r.qtyLots[i] = 0;
    }
  });
  return { ...r, expectedDepth: depthOf([...open.values()]), expectedOpen: open.size };
}

function depthOf(orders: Array<{ side: Side; priceTicks: number; qtyLots: number }>): Depth {
  const side = (s: Side): Array<[number, number]> => {
    const levels = new Map<number, number>();
    for (const o of orders) if (o.side === s) levels.set(o.priceTicks, (levels.get(o.priceTicks) ?? 0) + o.qtyLots);
    return [...levels.entries()].sort((a, b) => (s === Side.BUY ? b[0] - a[0] : a[0] - b[0]));
  };
  return { bids: side(Side.BUY), asks: side(Side.SELL) };
}

/** Applies replay[from, to) to the book; the event index doubles as the input time (µs). */
export function runReplayRange(book: Book, req: OrderRequest, r: L3Replay, from: number, to: number, tally: ReplayTally): void {
  for (let i = from; i < to; i++) {
    const op = r.op[i];
    let code: number = Code.OK;
    if (op === ReplayOp.CANCEL || op === ReplayOp.FLIP) code = book.cancel(r.accountId[i]!, r.orderId[i]!, 0, CancelReason.USER, i);
    if (op === ReplayOp.AMEND) code = book.amend(r.accountId[i]!, r.orderId[i]!, 0, r.priceTicks[i]!, r.qtyLots[i]!, i);
    if (code === Code.OK && (op === ReplayOp.PLACE || op === ReplayOp.FLIP)) {
      req.orderId = r.orderId[i]!;
      req.accountId = r.accountId[i]!;
      req.side = r.side[i]! as Side;
      req.orderType = OrderType.LIMIT;
      req.timeInForce = TimeInForce.GTC;
      req.priceTicks = r.priceTicks[i]!;
      req.qtyLots = r.qtyLots[i]!;
      req.timeUs = i;
      code = book.place(req);
    }
    if (code !== Code.OK) {
      tally.failures++;
      tally.lastFailureCode = code;
    }
  }
}
