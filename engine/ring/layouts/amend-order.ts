// AmendOrder (type 4): change price and/or quantity of a resting limit order, found by orderId or, when
// orderId is 0, by clientOrderId. newPriceTicks 0 keeps the price; newQtyLots 0 keeps the quantity.
// newQtyLots is the new total order quantity (filled part included): lowering it keeps queue priority,
// raising it or changing the price sends the order to the back of its (new) level.
//
//     32               40                  48                  56               64
//     +----------------+-------------------+-------------------+----------------+
//     | orderId u53    | clientOrderId u53 | newPriceTicks u53 | newQtyLots u53 |
//     +----------------+-------------------+-------------------+----------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const AmendOrderLayout = defineLayout(RecordType.AmendOrder, 'AmendOrder', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['newPriceTicks', 'u53'],
  ['newQtyLots', 'u53'],
] as const);
