// OrderAccepted (type 100): the order passed validation and entered matching (or the stop book). Emitted
// before any trade it takes part in. Echoes the order as the book holds it: priceTicks of a MARKET order
// is its resolved slippage limit, stpMode is resolved (never DEFAULT).
//
//     32               40                  48               56               64
//     +----------------+-------------------+----------------+----------------+
//     | orderId u53    | clientOrderId u53 | priceTicks u53 | qtyLots u53    |
//     +----------------+-------------------+----------------+----------------+
//     64                 72   73    74    75    76    77   78    79  80
//     +------------------+----+-----+-----+-----+-----+----+-----+---+
//     | triggerTicks u53 | sd | typ | tif | stp | src | ro | org | 0 |
//     +------------------+----+-----+-----+-----+-----+----+-----+---+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const OrderAcceptedLayout = defineLayout(RecordType.OrderAccepted, 'OrderAccepted', [
  ['orderId', 'u53'],
  ['clientOrderId', 'u53'],
  ['priceTicks', 'u53'],
  ['qtyLots', 'u53'],
  ['triggerPriceTicks', 'u53'],
  ['side', 'u8'],
  ['orderType', 'u8'],
  ['timeInForce', 'u8'],
  ['stpMode', 'u8'],
  ['triggerSource', 'u8'],
  ['reduceOnly', 'u8'],
  ['origin', 'u8'],
  ['reserved', 'u8'],
] as const);
