// FundingPaid (type 203): risk shard → gateway. What one position paid (> 0) or received (< 0) at a funding
// time, with the rate, the position and the mark it was computed on.
//
//     32                40                48                 56                   64
//     +-----------------+-----------------+------------------+--------------------+
//     | fundingRate i64 | amountAtoms i64 | positionLots i64 | markPriceTicks u53 |
//     +-----------------+-----------------+------------------+--------------------+
//     64                  72
//     +-------------------+
//     | fundingTimeUs u53 |
//     +-------------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const FundingPaidLayout = defineLayout(RecordType.FundingPaid, 'FundingPaid', [
  ['fundingRate', 'i64'],
  ['amountAtoms', 'i64'],
  ['positionLots', 'i64'],
  ['markPriceTicks', 'u53'],
  ['fundingTimeUs', 'u53'],
] as const);
