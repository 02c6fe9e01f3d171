// UpdateIndexPrice (type 14): gateway → market shard. A new index price for the header's market, as the
// index oracle computed it from its sources (stale = 1: fewer sources than the minimum; the mark freezes
// and the market goes reduce-only), or as an operator set it (origin). sourceCount: how many
// RecordIndexSource records for the same market and timeUs came just before it on the same stream, the
// record of what each source returned (0 when none was recorded).
//
//     32                    40            41      42       43
//     +---------------------+-------------+-------+--------+-------------+
//     | indexPriceTicks u53 | sourcesUsed | stale | origin | sourceCount |
//     +---------------------+-------------+-------+--------+-------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const UpdateIndexPriceLayout = defineLayout(RecordType.UpdateIndexPrice, 'UpdateIndexPrice', [
  ['indexPriceTicks', 'u53'],
  ['sourcesUsed', 'u8'],
  ['stale', 'u8'],
  ['origin', 'u8'],
  ['sourceCount', 'u8'],
] as const);
