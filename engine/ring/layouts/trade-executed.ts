// TradeExecuted (type 102): one match between the taker (header accountId) and one resting maker order,
// at the maker's price. tradeId is contiguous per market from 1. The remaining fields are what is left
// open of each order after this trade.
//
//   byte 32              40              48              56              64              72
//        +---------------+---------------+---------------+---------------+---------------+
//        | takerOrderId  | makerOrderId  | tradeId       | takerClOrdId  | makerClOrdId  |
//        +-------+-------+-------+-------+---+---+---+---+---------------+---------------+
//     72 | price | qty   | maker | tRem  | mRem  |sd |tor|mor| 0 |
//        +-------+-------+-------+-------+-------+---+---+---+---+
//         72      76      80      84      88      92  93  94  95  96

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const TradeExecutedLayout = defineLayout(RecordType.TradeExecuted, 'TradeExecuted', [
  ['takerOrderId', 'u53'],
  ['makerOrderId', 'u53'],
  ['tradeId', 'u53'],
  ['takerClientOrderId', 'u53'],
  ['makerClientOrderId', 'u53'],
  ['priceTicks', 'i32'],
  ['qtyLots', 'i32'],
  ['makerAccountId', 'u32'],
  ['takerRemainingLots', 'i32'],
  ['makerRemainingLots', 'i32'],
  ['takerSide', 'u8'],
  ['takerOrigin', 'u8'],
  ['makerOrigin', 'u8'],
  ['reserved', 'u8'],
] as const);
