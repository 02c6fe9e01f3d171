// AdlExecuted (type 206): risk shard → gateway (public ADL feed). The header's account (the counterparty)
// was deleveraged: qtyLots closed at priceTicks against the liquidated account.
//
//     32                  40               48               56                        60   61
//     +-------------------+----------------+----------------+-------------------------+----+
//     | liquidationId u53 | qtyLots u53    | priceTicks u53 | liquidatedAccountId u32 | sd |
//     +-------------------+----------------+----------------+-------------------------+----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const AdlExecutedLayout = defineLayout(RecordType.AdlExecuted, 'AdlExecuted', [
  ['liquidationId', 'u53'],
  ['qtyLots', 'u53'],
  ['priceTicks', 'u53'],
  ['liquidatedAccountId', 'u32'],
  ['side', 'u8'],
] as const);
