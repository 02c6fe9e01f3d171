// SetAccountConfig (type 5): per-account settings the market shard applies when matching.
// stpMode is the account's default self-trade prevention (StpMode, never DEFAULT itself).
//
//     32    33
//     +-----+
//     | stp |
//     +-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetAccountConfigLayout = defineLayout(RecordType.SetAccountConfig, 'SetAccountConfig', [
  ['stpMode', 'u8'],
] as const);
