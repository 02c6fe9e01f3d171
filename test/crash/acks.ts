// Reading acknowledgements out of gateway-bound records: which client operation a record answers, and how.
//
//   AccountUpdated, reason DEPOSIT, requestId r ─▶ d<r> applied
//   OrderAccepted (a user order id o)          ─▶ o<o> applied
//   OrderRejected of a Deposit / PlaceOrder    ─▶ d<r> / o<o> with its code
//
// A DUPLICATE_REQUEST answer to a retried deposit says the first attempt was applied (request ids are
// remembered only once applied). A DUPLICATE_ORDER_ID answer to a retried order says only that the first
// attempt passed the risk check: the market may still have rejected it, so it proves no second order, not
// that the first one stands (docs/RISK-SHARD.md, "Idempotency").

import { Code } from '../../engine/codes.js';
import { AccountUpdatedLayout } from '../../engine/ring/layouts/account-updated.js';
import { OrderAcceptedLayout } from '../../engine/ring/layouts/order-accepted.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { UpdateReason } from '../../risk/shard/events.js';
import { SYSTEM_ORDER_ID_BASE } from '../../risk/shard/seams.js';

const ACC = AccountUpdatedLayout.offsets;
const OA = OrderAcceptedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;

/** [operation key, result code] of the operation this record acknowledges, or undefined. */
export function ackOf(buf: RecordBuffer, at: number): [string, number] | undefined {
  switch (buf.type(at)) {
    case RecordType.AccountUpdated:
      if (buf.u8At(at, ACC.reason) !== UpdateReason.DEPOSIT) return undefined;
      return [`d${buf.u53At(at, ACC.requestId)}`, Code.OK];
    case RecordType.OrderAccepted: {
      const id = buf.u53At(at, OA.orderId);
      return id < SYSTEM_ORDER_ID_BASE ? [`o${id}`, Code.OK] : undefined;
    }
    case RecordType.OrderRejected: {
      const cmd = buf.u16At(at, REJ.commandType);
      const id = buf.u53At(at, REJ.orderId);
      if (cmd === RecordType.Deposit) return [`d${id}`, buf.u16At(at, REJ.code)];
      if (cmd === RecordType.PlaceOrder && id < SYSTEM_ORDER_ID_BASE) return [`o${id}`, buf.u16At(at, REJ.code)];
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The answer means the operation was applied (now or by an earlier attempt). */
export function appliedBy(code: number): boolean {
  return code === Code.OK || code === Code.DUPLICATE_REQUEST;
}
