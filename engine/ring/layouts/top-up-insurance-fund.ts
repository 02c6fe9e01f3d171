// TopUpInsuranceFund (type 12): operator → risk shard. Credits the insurance fund (the header's account is
// the operator account that pays, 0 for an external top-up counted as a deposit).
//
//     32               40                48
//     +----------------+-----------------+
//     | requestId u53  | amountAtoms i64 |
//     +----------------+-----------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const TopUpInsuranceFundLayout = defineLayout(RecordType.TopUpInsuranceFund, 'TopUpInsuranceFund', [
  ['requestId', 'u53'],
  ['amountAtoms', 'i64'],
] as const);
