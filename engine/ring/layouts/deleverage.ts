// Deleverage (type 15): risk shard → market shard. Auto-deleveraging: closes qtyLots of the liquidated
// account (header) against the counterparty's opposite position at priceTicks (the liquidated scope's
// bankruptcy price), off the book and without fees. side is the liquidated account's closing side. The
// market shard executes it as a TradeExecuted with both origins ADL (counterparty as maker), clipped to the
// positions it knows, or rejects it.
//
//     32                 40               48               56                          60   61
//     +------------------+----------------+----------------+---------------------------+----+
//     | deleverageId u53 | qtyLots u53    | priceTicks u53 | counterpartyAccountId u32 | sd |
//     +------------------+----------------+----------------+---------------------------+----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const DeleverageLayout = defineLayout(RecordType.Deleverage, 'Deleverage', [
  ['deleverageId', 'u53'],
  ['qtyLots', 'u53'],
  ['priceTicks', 'u53'],
  ['counterpartyAccountId', 'u32'],
  ['side', 'u8'],
] as const);
