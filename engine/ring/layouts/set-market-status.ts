// SetMarketStatus (type 19): operator → market shard (input 0, like the index). Halts (status 1) or
// resumes (status 0) the header's market. While halted the market shard refuses accounts' new orders and
// amendments with MARKET_HALTED; cancels, the engine's own orders (liquidation, ADL) and the index go on
// (docs/COMMANDS.md, "Halting a market"). Answered by CommandApplied (requestId) from the market shard.
//
//     32               40       41
//     +----------------+--------+
//     | requestId u53  | status |
//     +----------------+--------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetMarketStatusLayout = defineLayout(RecordType.SetMarketStatus, 'SetMarketStatus', [
  ['requestId', 'u53'],
  ['status', 'u8'],
] as const);

/** SetMarketStatus.status. */
export const MarketStatus = { OPEN: 0, HALTED: 1 } as const;
export type MarketStatus = (typeof MarketStatus)[keyof typeof MarketStatus];
