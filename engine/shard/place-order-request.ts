// Reads a PlaceOrder record into the OrderRequest the books validate (engine/book/validate-order.ts), for
// both shards: the market shard before its book matches it, the risk shard to refuse a malformed order
// with the same code before pre-trade records anything. The reduce-only byte must be 0 or 1 (the caller
// checks: INVALID_FLAGS); every u53 field has passed command-fields.ts.

import { OrderRequest } from '../book/types.js';
import { PlaceOrderLayout } from '../ring/layouts/place-order.js';
import type { RecordBuffer } from '../ring/record.js';

const PO = PlaceOrderLayout.offsets;

export function readPlaceOrder(buf: RecordBuffer, at: number, r: OrderRequest): OrderRequest {
  r.orderId = buf.u53At(at, PO.orderId);
  r.accountId = buf.accountId(at);
  r.clientOrderId = buf.u53At(at, PO.clientOrderId);
  r.side = buf.u8At(at, PO.side) as OrderRequest['side'];
  r.orderType = buf.u8At(at, PO.orderType) as OrderRequest['orderType'];
  r.timeInForce = buf.u8At(at, PO.timeInForce) as OrderRequest['timeInForce'];
  r.stpMode = buf.u8At(at, PO.stpMode) as OrderRequest['stpMode'];
  r.triggerSource = buf.u8At(at, PO.triggerSource) as OrderRequest['triggerSource'];
  r.reduceOnly = buf.u8At(at, PO.reduceOnly) === 1;
  r.origin = buf.u8At(at, PO.origin) as OrderRequest['origin'];
  r.priceTicks = buf.u53At(at, PO.priceTicks);
  r.qtyLots = buf.u53At(at, PO.qtyLots);
  r.triggerPriceTicks = buf.u53At(at, PO.triggerPriceTicks);
  r.timeUs = buf.timeUs(at);
  return r;
}
