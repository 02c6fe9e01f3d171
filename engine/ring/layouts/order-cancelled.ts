// OrderCancelled (type 103): an accepted order left the book on request (user, cancel-all, liquidation,
// admin, reduce-only clean-up). remainingLots is the quantity removed; filledLots what had filled before.
//
//   byte 32              40              48      52      56      60  61  62  63  64
//        +---------------+---------------+-------+-------+-------+---+---+---+---+
//        | orderId (u53) | clientOrderId | price | rem   | filled|sd |rsn|org|typ|
//        +---------------+---------------+-------+-------+-------+---+---+---+---+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const ORDER_ENDED_FIELDS = [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['priceTicks', 'i32'],
  ['remainingLots', 'i32'],
  ['filledLots', 'i32'],
  ['side', 'u8'],
  ['reason', 'u8'],
  ['origin', 'u8'],
  ['orderType', 'u8'],
] as const;

export const OrderCancelledLayout = defineLayout(RecordType.OrderCancelled, 'OrderCancelled', ORDER_ENDED_FIELDS);
