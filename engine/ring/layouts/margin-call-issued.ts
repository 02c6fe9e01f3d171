// MarginCallIssued (type 207): risk shard → gateway. The account's (or isolated position's) margin ratio
// crossed the warning level.
//
//     32                40                     48                    56      57
//     +-----------------+----------------------+---------------------+-------+
//     | equityAtoms i64 | maintenanceAtoms i64 | marginRatioRate i64 | scope |
//     +-----------------+----------------------+---------------------+-------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const MarginCallIssuedLayout = defineLayout(RecordType.MarginCallIssued, 'MarginCallIssued', [
  ['equityAtoms', 'i64'],
  ['maintenanceAtoms', 'i64'],
  ['marginRatioRate', 'i64'],
  ['scope', 'u8'],
] as const);
