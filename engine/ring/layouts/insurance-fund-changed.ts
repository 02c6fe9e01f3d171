// InsuranceFundChanged (type 205): risk shard → gateway. Every change of the insurance fund, with the new
// balance: its published history. reason is an InsuranceReason (risk/shard/events.ts). requestId is the
// TopUpInsuranceFund's own for a top-up (the answer to it), 0 for every other change.
//
//     32               40                 48                  56              64                     68    69
//     +----------------+------------------+-------------------+---------------+----------------------+-----+
//     | deltaAtoms i64 | balanceAtoms i64 | liquidationId u53 | requestId u53 | relatedAccountId u32 | rsn |
//     +----------------+------------------+-------------------+---------------+----------------------+-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const InsuranceFundChangedLayout = defineLayout(RecordType.InsuranceFundChanged, 'InsuranceFundChanged', [
  ['deltaAtoms', 'i64'],
  ['balanceAtoms', 'i64'],
  ['liquidationId', 'u53'],
  ['requestId', 'u53'],
  ['relatedAccountId', 'u32'],
  ['reason', 'u8'],
] as const);
