// BookLevelChanged (type 107): the aggregate of one price level after a change (L2). levelQtyLots 0 and
// orderCount 0 mean the level is gone.
//
//     32                 40               48               52   53
//     +------------------+----------------+----------------+----+
//     | levelQtyLots u53 | priceTicks u53 | orderCount u32 | sd |
//     +------------------+----------------+----------------+----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const BookLevelChangedLayout = defineLayout(RecordType.BookLevelChanged, 'BookLevelChanged', [
  ['levelQtyLots', 'u53'],
  ['priceTicks', 'u53'],
  ['orderCount', 'u32'],
  ['side', 'u8'],
] as const);
