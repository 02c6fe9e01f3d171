// UpdateIndexPrice (type 14): gateway → market shard. A new index price for the header's market, as the
// index aggregator computed it from the venues (stale = 1: fewer sources than the minimum; the mark freezes
// and the market goes reduce-only).
//
//     32                    40            41      42
//     +---------------------+-------------+-------+
//     | indexPriceTicks u53 | sourcesUsed | stale |
//     +---------------------+-------------+-------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const UpdateIndexPriceLayout = defineLayout(RecordType.UpdateIndexPrice, 'UpdateIndexPrice', [
  ['indexPriceTicks', 'u53'],
  ['sourcesUsed', 'u8'],
  ['stale', 'u8'],
] as const);
