// SetFeeTier (type 13): operator → risk shard (header flag OPERATOR; refused from an account's own
// commands). The account's fee tier (index into the fee schedule). requestId (0: none) comes back in the
// AccountUpdated or OrderRejected answering it.
//
//     32                40        41
//     +-----------------+---------+
//     | requestId u53   | feeTier |
//     +-----------------+---------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetFeeTierLayout = defineLayout(RecordType.SetFeeTier, 'SetFeeTier', [
  ['requestId', 'u53'],
  ['feeTier', 'u8'],
] as const);
