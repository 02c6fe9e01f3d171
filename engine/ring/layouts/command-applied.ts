// CommandApplied (type 110): market shard → gateway. The answer to a command that was applied and has no
// event of its own: CancelAllOrders (after the OrderCancelled of each order it ended, ordersCancelled of
// them, 0 when there was nothing to cancel) and SetAccountConfig. requestId and commandType are the
// command's own, so the gateway answers the request they name (docs/COMMANDS.md).
//
//     32               40    42        44                    48
//     +----------------+-----+---------+---------------------+
//     | requestId u53  | cmd | (0)     | ordersCancelled u32 |
//     +----------------+-----+---------+---------------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const CommandAppliedLayout = defineLayout(RecordType.CommandApplied, 'CommandApplied', [
  ['requestId', 'u53'],
  ['commandType', 'u16'],
  ['reserved', 'u16'],
  ['ordersCancelled', 'u32'],
] as const);
