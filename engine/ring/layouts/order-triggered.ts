// OrderTriggered (type 106): a stop or take-profit order fired because its trigger source reached the
// trigger price; it now enters matching as a market or limit order under the same orderId.
//
//     32               40                  48                 56                       64
//     +----------------+-------------------+------------------+------------------------+
//     | orderId u53    | clientOrderId u53 | triggerTicks u53 | observedPriceTicks u53 |
//     +----------------+-------------------+------------------+------------------------+
//     64   65    66    67
//     +----+-----+-----+
//     | sd | typ | src |
//     +----+-----+-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const OrderTriggeredLayout = defineLayout(RecordType.OrderTriggered, 'OrderTriggered', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['triggerPriceTicks', 'u53'],
  ['observedPriceTicks', 'u53'],
  ['side', 'u8'],
  ['orderType', 'u8'],
  ['triggerSource', 'u8'],
] as const);
