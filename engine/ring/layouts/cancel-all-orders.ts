// CancelAllOrders (type 3): every open order (resting and untriggered) of the header's account in the
// header's market. reason is a CancelReason (USER from traders, LIQUIDATION / ADMIN from the system).
//
//     32    33
//     +-----+
//     | rsn |
//     +-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const CancelAllOrdersLayout = defineLayout(RecordType.CancelAllOrders, 'CancelAllOrders', [
  ['reason', 'u8'],
] as const);
