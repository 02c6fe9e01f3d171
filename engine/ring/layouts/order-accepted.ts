// OrderAccepted (type 100): the order passed validation and entered matching (or the stop book). Emitted
// before any trade it takes part in. Echoes the order as the book holds it: priceTicks of a MARKET order
// is its resolved slippage limit, stpMode is resolved (never DEFAULT).
//
//   byte 32              40              48      52      56      60  61  62  63  64  65  66  67  68
//        +---------------+---------------+-------+-------+-------+---+---+---+---+---+---+---+---+
//        | orderId (u53) | clientOrderId | price | qty   |trigger|sd |typ|tif|stp|src|ro |org| 0 |
//        +---------------+---------------+-------+-------+-------+---+---+---+---+---+---+---+---+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const OrderAcceptedLayout = defineLayout(RecordType.OrderAccepted, 'OrderAccepted', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['priceTicks', 'i32'],
  ['qtyLots', 'i32'],
  ['triggerPriceTicks', 'i32'],
  ['side', 'u8'],
  ['orderType', 'u8'],
  ['timeInForce', 'u8'],
  ['stpMode', 'u8'],
  ['triggerSource', 'u8'],
  ['reduceOnly', 'u8'],
  ['origin', 'u8'],
  ['reserved', 'u8'],
] as const);
