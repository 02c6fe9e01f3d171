// FundingRateApplied (type 109): market shard → every risk shard and the gateway. Funding time: every
// position open now pays q·mark·fundingRate (positive: longs pay shorts). premiumRate is the interval's
// average premium, intervalUs the interval's length.
//
//     32                40                   48               56                  64
//     +-----------------+--------------------+----------------+-------------------+
//     | fundingRate i64 | markPriceTicks u53 | intervalUs u53 | fundingTimeUs u53 |
//     +-----------------+--------------------+----------------+-------------------+
//     64                72
//     +-----------------+
//     | premiumRate i64 |
//     +-----------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const FundingRateAppliedLayout = defineLayout(RecordType.FundingRateApplied, 'FundingRateApplied', [
  ['fundingRate', 'i64'],
  ['markPriceTicks', 'u53'],
  ['intervalUs', 'u53'],
  ['fundingTimeUs', 'u53'],
  ['premiumRate', 'i64'],
] as const);
