// Reading what was applied out of the records a clean replay of the journals gives, keyed as the crash
// client's acknowledgements name it (crash-client.ts, Ack.engineId):
//
//   OrderAccepted (a gateway order id o)                       ─▶ order o, and its account's client order id
//   AccountUpdated, reason DEPOSIT / WITHDRAWAL / LEVERAGE, r  ─▶ request r
//
// Orders the risk shards place (liquidations, ADL) have ids from SYSTEM_ORDER_ID_BASE up and are left out.

import { AccountUpdatedLayout } from '../../engine/ring/layouts/account-updated.js';
import { OrderAcceptedLayout } from '../../engine/ring/layouts/order-accepted.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { UpdateReason } from '../../risk/shard/events.js';
import { SYSTEM_ORDER_ID_BASE } from '../../risk/shard/seams.js';

const ACC = AccountUpdatedLayout.offsets;
const OA = OrderAcceptedLayout.offsets;
const REQUESTS: ReadonlySet<number> = new Set([UpdateReason.DEPOSIT, UpdateReason.WITHDRAWAL, UpdateReason.LEVERAGE]);

export type Applied = { readonly kind: 'order'; readonly id: number; readonly accountId: number; readonly clientOrderId: number } | { readonly kind: 'request'; readonly id: number };

/** What this record says was applied of a client's operation, or undefined. */
export function appliedOf(buf: RecordBuffer, at: number): Applied | undefined {
  switch (buf.type(at)) {
    case RecordType.AccountUpdated:
      return REQUESTS.has(buf.u8At(at, ACC.reason)) ? { kind: 'request', id: buf.u53At(at, ACC.requestId) } : undefined;
    case RecordType.OrderAccepted: {
      const id = buf.u53At(at, OA.orderId);
      return id < SYSTEM_ORDER_ID_BASE ? { kind: 'order', id, accountId: buf.accountId(at), clientOrderId: buf.u53At(at, OA.clientOrderId) } : undefined;
    }
    default:
      return undefined;
  }
}
