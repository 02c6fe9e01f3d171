// AmendOrder (type 4): change price and/or quantity of a resting limit order, found by orderId or, when
// orderId is 0, by clientOrderId. newPriceTicks 0 keeps the price; newQtyLots 0 keeps the quantity.
// newQtyLots is the new total order quantity (filled part included): lowering it keeps queue priority,
// raising it or changing the price sends the order to the back of its (new) level.
//
//   byte 32              40              48      52      56
//        +---------------+---------------+-------+-------+
//        | orderId (u53) | clientOrderId | price | qty   |
//        +---------------+---------------+-------+-------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const AmendOrderLayout = defineLayout(RecordType.AmendOrder, 'AmendOrder', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['newPriceTicks', 'i32'],
  ['newQtyLots', 'i32'],
] as const);
