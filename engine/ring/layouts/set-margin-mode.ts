// SetMarginMode (type 10): gateway → risk shard. CROSS (0) or ISOLATED (1) for the header's market; only
// while the account has no position and no open order there (MARGIN_MODE_CHANGE_WITH_POSITION).
// requestId (0: none) comes back in the AccountUpdated or OrderRejected answering it.
//
//     32                40           41
//     +-----------------+------------+
//     | requestId u53   | marginMode |
//     +-----------------+------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetMarginModeLayout = defineLayout(RecordType.SetMarginMode, 'SetMarginMode', [
  ['requestId', 'u53'],
  ['marginMode', 'u8'],
] as const);
