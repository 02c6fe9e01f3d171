// SetAccountConfig (type 5): per-account settings the market shard applies when matching.
// stpMode is the account's default self-trade prevention (StpMode, never DEFAULT itself). requestId
// (0: none) comes back in the CommandApplied or OrderRejected answering it.
//
//     32                40    41
//     +-----------------+-----+
//     | requestId u53   | stp |
//     +-----------------+-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetAccountConfigLayout = defineLayout(RecordType.SetAccountConfig, 'SetAccountConfig', [
  ['requestId', 'u53'],
  ['stpMode', 'u8'],
] as const);
