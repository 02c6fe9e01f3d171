// OrderRejected (type 101): a command changed nothing. code is from engine/codes.ts; commandType is the
// record type that was rejected (PlaceOrder, CancelOrder, AmendOrder, ...). orderId / clientOrderId are
// the command's own.
//
//   byte 32              40              48      50      52      56      60  61  62  63
//        +---------------+---------------+-------+-------+-------+-------+---+---+---+---+
//        | orderId (u53) | clientOrderId | code  | cmd   | price | qty   |sd |typ|org|ro |
//        +---------------+---------------+-------+-------+-------+-------+---+---+---+---+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const OrderRejectedLayout = defineLayout(RecordType.OrderRejected, 'OrderRejected', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['code', 'u16'],
  ['commandType', 'u16'],
  ['priceTicks', 'i32'],
  ['qtyLots', 'i32'],
  ['side', 'u8'],
  ['orderType', 'u8'],
  ['origin', 'u8'],
  ['reduceOnly', 'u8'],
] as const);
