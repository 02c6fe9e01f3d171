// SetFeeTier (type 13): operator → risk shard. The account's fee tier (index into the fee schedule).
//
//     32        33
//     +---------+
//     | feeTier |
//     +---------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetFeeTierLayout = defineLayout(RecordType.SetFeeTier, 'SetFeeTier', [
  ['feeTier', 'u8'],
] as const);
