// MarkPriceUpdated (type 108): market shard → every risk shard and the gateway. The mark the market shard
// computed (docs/RISK.md: median of three, clamped to the band around the index), the index it used, the last
// funding rate (10^-8 units) and the next funding time. stale = 1: the index is stale, the mark frozen and
// the market reduce-only.
//
//     32                   40                    48                56                      64
//     +--------------------+---------------------+-----------------+-----------------------+
//     | markPriceTicks u53 | indexPriceTicks u53 | fundingRate i64 | nextFundingTimeUs u53 |
//     +--------------------+---------------------+-----------------+-----------------------+
//     64      65
//     +-------+
//     | stale |
//     +-------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const MarkPriceUpdatedLayout = defineLayout(RecordType.MarkPriceUpdated, 'MarkPriceUpdated', [
  ['markPriceTicks', 'u53'],
  ['indexPriceTicks', 'u53'],
  ['fundingRate', 'i64'],
  ['nextFundingTimeUs', 'u53'],
  ['stale', 'u8'],
] as const);
