// Deposit (type 7): gateway → risk shard. Credits amountAtoms (> 0) of assetId (0 = USDT) to the header's
// account. requestId is the caller's idempotency key: a second request with an id already applied is
// rejected with DUPLICATE_REQUEST and changes nothing.
//
//     32               40                48        50
//     +----------------+-----------------+---------+
//     | requestId u53  | amountAtoms i64 | assetId |
//     +----------------+-----------------+---------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const DepositLayout = defineLayout(RecordType.Deposit, 'Deposit', [
  ['requestId', 'u53'],
  ['amountAtoms', 'i64'],
  ['assetId', 'u16'],
] as const);
