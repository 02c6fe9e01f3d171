// ListMarket (type 20): operator → every risk shard (input 0) → the owning market shard (input 1 + r).
// Creates a market at run time (docs/OPERATOR.md, "Creating a market"). The listing (engine/market/
// listing.ts: spec, pricing, risk tiers, canonical bytes) does not fit one record, so the command is a
// group of `parts` records, numbered from 0, in a row on one stream, each carrying the next
// LISTING_CHUNK_BYTES of the listing's bytes (the last one zero-padded). Only the last part is answered.
// The header's marketId is the listed market's on every part; accountId is 0.
//
//     32               40      42     43      44         46      48                            128
//     +----------------+-------+------+-------+----------+-------+-------------------------------+
//     | requestId u53  | shard | part | parts | bytes    | (0)   | chunk: 80 bytes of the listing|
//     |                | u16   | u8   | u8    | u16      | u16   |                               |
//     +----------------+-------+------+-------+----------+-------+-------------------------------+
//
// shard: the market shard that will own the market, chosen by the gateway and recorded here so a replay
// places it the same way. bytes: the listing's whole length (the same on every part).

import { RECORD_BYTES } from '../record.js';
import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const ListMarketLayout = defineLayout(RecordType.ListMarket, 'ListMarket', [
  ['requestId', 'u53'],
  ['shard', 'u16'],
  ['part', 'u8'],
  ['parts', 'u8'],
  ['bytes', 'u16'],
  ['reserved', 'u16'],
] as const);

/** Where a part's chunk of the listing starts in the record, and how long it is. */
export const LISTING_CHUNK_AT = ListMarketLayout.end;
export const LISTING_CHUNK_BYTES = RECORD_BYTES - LISTING_CHUNK_AT;
/** Most parts one listing may take. */
export const MAX_LISTING_PARTS = 64;
