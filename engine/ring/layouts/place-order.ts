// PlaceOrder (type 1): gateway → risk shard → market shard; also risk shard → market shard for
// liquidation orders. Header: accountId, marketId, timeUs.
//
//     32               40                  48               56               64
//     +----------------+-------------------+----------------+----------------+
//     | orderId u53    | clientOrderId u53 | priceTicks u53 | qtyLots u53    |
//     +----------------+-------------------+----------------+----------------+
//     64                 72   73    74    75    76    77   78    79  80
//     +------------------+----+-----+-----+-----+-----+----+-----+---+
//     | triggerTicks u53 | sd | typ | tif | stp | src | ro | org | 0 |
//     +------------------+----+-----+-----+-----+-----+----+-----+---+
//
// orderId        assigned by the issuer (gateway counter, or the risk shard's reserved range); unique.
// clientOrderId  the trader's own id, 0 when absent; unique per account among open orders.
// priceTicks     limit price; for a MARKET order the worst price it may fill at (0: the market's default
//                slippage band from the best opposite price at arrival).
// qtyLots        order quantity.   triggerPriceTicks  stop / take-profit trigger, 0 otherwise.
// side, orderType, timeInForce, stpMode, triggerSource, reduceOnly (0/1), origin: engine/enums.ts.

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const PlaceOrderLayout = defineLayout(RecordType.PlaceOrder, 'PlaceOrder', [
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
