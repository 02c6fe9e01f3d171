// CancelAllOrders (type 3): every open order (resting and untriggered) of the header's account in the
// header's market. reason is a CancelReason: CANCEL_ALL or USER from a trader, ADMIN from the operator
// (header flag OPERATOR), LIQUIDATION from the risk shard's pipeline only. requestId (0: none) comes back
// in the CommandApplied or OrderRejected answering it.
//
//     32                40    41
//     +-----------------+-----+
//     | requestId u53   | rsn |
//     +-----------------+-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const CancelAllOrdersLayout = defineLayout(RecordType.CancelAllOrders, 'CancelAllOrders', [
  ['requestId', 'u53'],
  ['reason', 'u8'],
] as const);
