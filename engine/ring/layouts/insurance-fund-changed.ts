// InsuranceFundChanged (type 205): risk shard → gateway. Every change of the insurance fund, with the new
// balance: its published history. reason is an InsuranceReason (risk/shard/events.ts).
//
//     32               40                 48                  56                     60    61
//     +----------------+------------------+-------------------+----------------------+-----+
//     | deltaAtoms i64 | balanceAtoms i64 | liquidationId u53 | relatedAccountId u32 | rsn |
//     +----------------+------------------+-------------------+----------------------+-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const InsuranceFundChangedLayout = defineLayout(RecordType.InsuranceFundChanged, 'InsuranceFundChanged', [
  ['deltaAtoms', 'i64'],
  ['balanceAtoms', 'i64'],
  ['liquidationId', 'u53'],
  ['relatedAccountId', 'u32'],
  ['reason', 'u8'],
] as const);
