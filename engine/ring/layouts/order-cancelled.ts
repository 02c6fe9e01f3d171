// OrderCancelled (type 103): an accepted order left the book on request (user, cancel-all, liquidation,
// admin, reduce-only clean-up). remainingLots is the quantity removed; filledLots what had filled before.
//
//     32               40                  48               56                  64
//     +----------------+-------------------+----------------+-------------------+
//     | orderId u53    | clientOrderId u53 | priceTicks u53 | remainingLots u53 |
//     +----------------+-------------------+----------------+-------------------+
//     64               72   73    74    75    76
//     +----------------+----+-----+-----+-----+
//     | filledLots u53 | sd | rsn | org | typ |
//     +----------------+----+-----+-----+-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const ORDER_ENDED_FIELDS = [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['priceTicks', 'u53'],
  ['remainingLots', 'u53'],
  ['filledLots', 'u53'],
  ['side', 'u8'],
  ['reason', 'u8'],
  ['origin', 'u8'],
  ['orderType', 'u8'],
] as const;

export const OrderCancelledLayout = defineLayout(RecordType.OrderCancelled, 'OrderCancelled', ORDER_ENDED_FIELDS);
