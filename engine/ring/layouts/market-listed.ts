// MarketListed (type 111): the answer to ListMarket, from every shard that applied it, to the gateway.
// Each risk shard answers the group it took from the gateway; the owning market shard answers the first
// copy a risk shard forwarded to it (later, identical copies change nothing and are not answered). The
// gateway opens the market once it holds the answer of every risk shard and of the owner
// (docs/OPERATOR.md, "Creating a market"). The header's marketId is the listed market's.
//
//     32               40      42    43    44        46           48
//     +----------------+-------+-----+-----+---------+------------+
//     | requestId u53  | shard | by  | (0) | byShard | markets    |
//     |                | u16   | u8  | u8  | u16     | u16        |
//     +----------------+-------+-----+-----+---------+------------+
//
// shard: the owning market shard. by: ListedBy, the kind of shard answering; byShard: its index.
// markets: how many markets the answering shard now holds.

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const MarketListedLayout = defineLayout(RecordType.MarketListed, 'MarketListed', [
  ['requestId', 'u53'],
  ['shard', 'u16'],
  ['by', 'u8'],
  ['reserved', 'u8'],
  ['byShard', 'u16'],
  ['markets', 'u16'],
] as const);

/** MarketListed.by. */
export const ListedBy = { MARKET_SHARD: 1, RISK_SHARD: 2 } as const;
export type ListedBy = (typeof ListedBy)[keyof typeof ListedBy];
