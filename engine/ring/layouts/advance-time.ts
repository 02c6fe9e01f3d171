// AdvanceTime (type 16): gateway → market and risk shards. A timer tick carrying only the header's timeUs:
// time moves for state machines only through records, and this one keeps funding samples and funding times
// on schedule when no other record arrives.
//
//     (no body: the header is the whole record)

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const AdvanceTimeLayout = defineLayout(RecordType.AdvanceTime, 'AdvanceTime', [
] as const);
