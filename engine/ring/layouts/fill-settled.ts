// FillSettled (type 202): risk shard → gateway. One trade as it settled for the header's account: fee
// (positive paid, negative rebate), realized PnL of the part it closed. liquidity 0 maker, 1 taker.
//
//     32               40               48               56               64
//     +----------------+----------------+----------------+----------------+
//     | orderId u53    | tradeId u53    | qtyLots u53    | priceTicks u53 |
//     +----------------+----------------+----------------+----------------+
//     64               72                     80   81          82    83
//     +----------------+----------------------+----+-----------+-----+
//     | feeAtoms i64   | realizedPnlAtoms i64 | sd | liquidity | org |
//     +----------------+----------------------+----+-----------+-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const FillSettledLayout = defineLayout(RecordType.FillSettled, 'FillSettled', [
  ['orderId', 'u53'],
  ['tradeId', 'u53'],
  ['qtyLots', 'u53'],
  ['priceTicks', 'u53'],
  ['feeAtoms', 'i64'],
  ['realizedPnlAtoms', 'i64'],
  ['side', 'u8'],
  ['liquidity', 'u8'],
  ['origin', 'u8'],
] as const);
