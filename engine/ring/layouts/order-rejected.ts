// OrderRejected (type 101): a command changed nothing. code is from engine/codes.ts; commandType is the
// record type that was rejected (PlaceOrder, CancelOrder, AmendOrder, ...). orderId / clientOrderId are
// the command's own.
//
//     32               40                  48     50    52               60
//     +----------------+-------------------+------+-----+----------------+
//     | orderId u53    | clientOrderId u53 | code | cmd | priceTicks u53 |
//     +----------------+-------------------+------+-----+----------------+
//     60               68   69    70    71   72
//     +----------------+----+-----+-----+----+
//     | qtyLots u53    | sd | typ | org | ro |
//     +----------------+----+-----+-----+----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const OrderRejectedLayout = defineLayout(RecordType.OrderRejected, 'OrderRejected', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['code', 'u16'],
  ['commandType', 'u16'],
  ['priceTicks', 'u53'],
  ['qtyLots', 'u53'],
  ['side', 'u8'],
  ['orderType', 'u8'],
  ['origin', 'u8'],
  ['reduceOnly', 'u8'],
] as const);
