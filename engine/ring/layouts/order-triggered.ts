// OrderTriggered (type 106): a stop or take-profit order fired because its trigger source reached the
// trigger price; it now enters matching as a market or limit order under the same orderId.
//
//   byte 32              40              48      52      56  57  58
//        +---------------+---------------+-------+-------+---+---+---+
//        | orderId (u53) | clientOrderId |trigger|seen   |sd |typ|src|
//        +---------------+---------------+-------+-------+---+---+---+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const OrderTriggeredLayout = defineLayout(RecordType.OrderTriggered, 'OrderTriggered', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['triggerPriceTicks', 'i32'],
  ['observedPriceTicks', 'i32'],
  ['side', 'u8'],
  ['orderType', 'u8'],
  ['triggerSource', 'u8'],
] as const);
