// Withdraw (type 8): gateway → risk shard. Debits amountAtoms (> 0) if it is within Withdrawable (docs/RISK.md:
// never unrealized profit) and no account of the pool has negative equity (I11). requestId as for Deposit.
//
//     32               40                48        50
//     +----------------+-----------------+---------+
//     | requestId u53  | amountAtoms i64 | assetId |
//     +----------------+-----------------+---------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const WithdrawLayout = defineLayout(RecordType.Withdraw, 'Withdraw', [
  ['requestId', 'u53'],
  ['amountAtoms', 'i64'],
  ['assetId', 'u16'],
] as const);
