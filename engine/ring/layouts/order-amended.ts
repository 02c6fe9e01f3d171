// OrderAmended (type 104): a resting order's price and/or total quantity changed. keptPriority is 1 when
// the order kept its place in the queue (quantity down, same price), 0 when it went to the back.
//
//     32               40                  48                  56                  64
//     +----------------+-------------------+-------------------+-------------------+
//     | orderId u53    | clientOrderId u53 | oldPriceTicks u53 | newPriceTicks u53 |
//     +----------------+-------------------+-------------------+-------------------+
//     64               72               80                  88   89   90
//     +----------------+----------------+-------------------+----+----+
//     | oldQtyLots u53 | newQtyLots u53 | remainingLots u53 | sd | kp |
//     +----------------+----------------+-------------------+----+----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const OrderAmendedLayout = defineLayout(RecordType.OrderAmended, 'OrderAmended', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['oldPriceTicks', 'u53'],
  ['newPriceTicks', 'u53'],
  ['oldQtyLots', 'u53'],
  ['newQtyLots', 'u53'],
  ['remainingLots', 'u53'],
  ['side', 'u8'],
  ['keptPriority', 'u8'],
] as const);
