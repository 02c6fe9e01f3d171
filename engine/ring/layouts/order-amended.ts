// OrderAmended (type 104): a resting order's price and/or total quantity changed. keptPriority is 1 when
// the order kept its place in the queue (quantity down, same price), 0 when it went to the back.
//
//   byte 32              40              48      52      56      60      64      68  69  70
//        +---------------+---------------+-------+-------+-------+-------+-------+---+---+
//        | orderId (u53) | clientOrderId | oldPx | newPx | oldQty| newQty| rem   |sd |kp |
//        +---------------+---------------+-------+-------+-------+-------+-------+---+---+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const OrderAmendedLayout = defineLayout(RecordType.OrderAmended, 'OrderAmended', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['oldPriceTicks', 'i32'],
  ['newPriceTicks', 'i32'],
  ['oldQtyLots', 'i32'],
  ['newQtyLots', 'i32'],
  ['remainingLots', 'i32'],
  ['side', 'u8'],
  ['keptPriority', 'u8'],
] as const);
