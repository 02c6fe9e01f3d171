// TradeExecuted (type 102): one match between the taker (header accountId) and one resting maker order,
// at the maker's price. tradeId is contiguous per market from 1. The remaining fields are what is left
// open of each order after this trade.
//
//     32                 40                 48               56                       64
//     +------------------+------------------+----------------+------------------------+
//     | takerOrderId u53 | makerOrderId u53 | tradeId u53    | takerClientOrderId u53 |
//     +------------------+------------------+----------------+------------------------+
//     64                       72               80               88                   92
//     +------------------------+----------------+----------------+--------------------+
//     | makerClientOrderId u53 | priceTicks u53 | qtyLots u53    | makerAccountId u32 |
//     +------------------------+----------------+----------------+--------------------+
//     92                       100                      108  109   110   111 112
//     +------------------------+------------------------+----+-----+-----+---+
//     | takerRemainingLots u53 | makerRemainingLots u53 | sd | tor | mor | 0 |
//     +------------------------+------------------------+----+-----+-----+---+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const TradeExecutedLayout = defineLayout(RecordType.TradeExecuted, 'TradeExecuted', [
  ['takerOrderId', 'u53'],
  ['makerOrderId', 'u53'],
  ['tradeId', 'u53'],
  ['takerClientOrderId', 'u53'],
  ['makerClientOrderId', 'u53'],
  ['priceTicks', 'u53'],
  ['qtyLots', 'u53'],
  ['makerAccountId', 'u32'],
  ['takerRemainingLots', 'u53'],
  ['makerRemainingLots', 'u53'],
  ['takerSide', 'u8'],
  ['takerOrigin', 'u8'],
  ['makerOrigin', 'u8'],
  ['reserved', 'u8'],
] as const);
