// Builders for command records in tests: plain objects in, encoded 128-byte records out.

import { OrderOrigin, OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../../engine/enums.js';
import { AmendOrderLayout } from '../../engine/ring/layouts/amend-order.js';
import { CancelAllOrdersLayout } from '../../engine/ring/layouts/cancel-all-orders.js';
import { CancelOrderLayout } from '../../engine/ring/layouts/cancel-order.js';
import { decodeRecord, encodeRecord, type DecodedRecord } from '../../engine/ring/layouts/index.js';
import type { Layout } from '../../engine/ring/layouts/layout.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { SetAccountConfigLayout } from '../../engine/ring/layouts/set-account-config.js';
import { SetMarkPriceLayout } from '../../engine/ring/layouts/set-mark-price.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import { AdvanceTimeLayout } from '../../engine/ring/layouts/advance-time.js';
import { LiquidationSweepLayout } from '../../engine/ring/layouts/liquidation-sweep.js';
import { DeleverageLayout } from '../../engine/ring/layouts/deleverage.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import type { MemoryOutput } from '../../engine/shard/event-output.js';

export interface Cmd {
  layout: Layout;
  header: { seq?: number; timeUs?: number; marketId?: number; accountId?: number; flags?: number };
  body: Record<string, number | bigint>;
}

export interface PlaceArgs {
  orderId: number;
  accountId: number;
  side?: number;
  priceTicks?: number;
  qtyLots: number;
  orderType?: number;
  timeInForce?: number;
  stpMode?: number;
  clientOrderId?: number;
  triggerPriceTicks?: number;
  triggerSource?: number;
  reduceOnly?: boolean;
  origin?: number;
  marketId?: number;
  timeUs?: number;
}

export function place(a: PlaceArgs): Cmd {
  return {
    layout: PlaceOrderLayout,
    header: { marketId: a.marketId ?? 1, accountId: a.accountId, timeUs: a.timeUs ?? 1 },
    body: {
      orderId: a.orderId,
      clientOrderId: a.clientOrderId ?? 0,
      priceTicks: a.priceTicks ?? 0,
      qtyLots: a.qtyLots,
      triggerPriceTicks: a.triggerPriceTicks ?? 0,
      side: a.side ?? Side.BUY,
      orderType: a.orderType ?? OrderType.LIMIT,
      timeInForce: a.timeInForce ?? TimeInForce.GTC,
      stpMode: a.stpMode ?? StpMode.DEFAULT,
      triggerSource: a.triggerSource ?? TriggerSource.MARK,
      reduceOnly: a.reduceOnly ? 1 : 0,
      origin: a.origin ?? OrderOrigin.USER,
    },
  };
}

export function cancel(accountId: number, orderId: number, clientOrderId = 0, marketId = 1): Cmd {
  return { layout: CancelOrderLayout, header: { marketId, accountId, timeUs: 1 }, body: { orderId, clientOrderId } };
}

export function cancelAll(accountId: number, reason: number, marketId = 1, requestId = 0): Cmd {
  return { layout: CancelAllOrdersLayout, header: { marketId, accountId, timeUs: 1 }, body: { requestId, reason } };
}

export function amend(accountId: number, orderId: number, newPriceTicks: number, newQtyLots: number, marketId = 1): Cmd {
  return { layout: AmendOrderLayout, header: { marketId, accountId, timeUs: 1 }, body: { orderId, clientOrderId: 0, newPriceTicks, newQtyLots } };
}

export function setStp(accountId: number, stpMode: number, marketId = 1, requestId = 0): Cmd {
  return { layout: SetAccountConfigLayout, header: { marketId, accountId, timeUs: 1 }, body: { requestId, stpMode } };
}

export function setMark(markPriceTicks: number, marketId = 1): Cmd {
  return { layout: SetMarkPriceLayout, header: { marketId, timeUs: 1 }, body: { markPriceTicks } };
}

/** Encodes commands as one stream: seq 1, 2, ... unless a command sets its own. */
export function encodeStream(cmds: readonly Cmd[], firstSeq = 1): RecordBuffer {
  const buf = RecordBuffer.allocate(Math.max(1, cmds.length));
  cmds.forEach((c, i) => encodeRecord(buf, buf.at(i), c.layout, { ...c.header, seq: c.header.seq ?? firstSeq + i }, c.body));
  return buf;
}

export function decodeAll(out: MemoryOutput): DecodedRecord[] {
  const recs: DecodedRecord[] = [];
  for (let i = 0; i < out.length; i++) recs.push(decodeRecord(out.records, out.offsetOf(i)));
  return recs;
}

export function indexTick(indexPriceTicks: number, timeUs: number, marketId = 1, stale = false): Cmd {
  return { layout: UpdateIndexPriceLayout, header: { marketId, timeUs }, body: { indexPriceTicks, sourcesUsed: stale ? 0 : 3, stale: stale ? 1 : 0 } };
}

export function advanceTime(timeUs: number): Cmd {
  return { layout: AdvanceTimeLayout, header: { timeUs }, body: {} };
}

/** A LiquidationSweep (risk shard → market shard): the full close's budgeted walk of the book. */
export function liquidationSweep(accountId: number, side: number, qtyLots: number, limitPriceTicks: number, bankruptcyPriceTicks: bigint, budgetAtoms: bigint, sweepId: number, marketId = 1): Cmd {
  return { layout: LiquidationSweepLayout, header: { marketId, accountId, timeUs: 1 }, body: { sweepId, qtyLots, limitPriceTicks, bankruptcyPriceTicks, budgetAtoms, side } };
}

export function deleverage(liquidatedAccountId: number, counterpartyAccountId: number, side: number, qtyLots: number, priceTicks: number, deleverageId: number, marketId = 1): Cmd {
  return { layout: DeleverageLayout, header: { marketId, accountId: liquidatedAccountId, timeUs: 1 }, body: { deleverageId, qtyLots, priceTicks, counterpartyAccountId, side } };
}
