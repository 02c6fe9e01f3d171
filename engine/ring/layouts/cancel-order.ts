// CancelOrder (type 2): by exchange order id, or, when orderId is 0, by the account's client order id.
//
//     32               40                  48
//     +----------------+-------------------+
//     | orderId u53    | clientOrderId u53 |
//     +----------------+-------------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const CancelOrderLayout = defineLayout(RecordType.CancelOrder, 'CancelOrder', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
] as const);
