// SetMarginMode (type 10): gateway → risk shard. CROSS (0) or ISOLATED (1) for the header's market; only
// while the account has no position and no open order there (MARGIN_MODE_CHANGE_WITH_POSITION).
//
//     32           33
//     +------------+
//     | marginMode |
//     +------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetMarginModeLayout = defineLayout(RecordType.SetMarginMode, 'SetMarginMode', [
  ['marginMode', 'u8'],
] as const);
