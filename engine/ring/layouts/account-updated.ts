// AccountUpdated (type 200): risk shard → gateway. The account's balances after a change (reason: AccountUpdateReason
// in risk/shard/events.ts). marginRatioRate in 10^-8 units, -1 when equity ≤ 0 with a position open.
//
//     32                40                48                   56                      64
//     +-----------------+-----------------+--------------------+-----------------------+
//     | walletAtoms i64 | equityAtoms i64 | availableAtoms i64 | withdrawableAtoms i64 |
//     +-----------------+-----------------+--------------------+-----------------------+
//     64                     72                 80                    88               96
//     +----------------------+------------------+---------------------+----------------+
//     | maintenanceAtoms i64 | initialAtoms i64 | marginRatioRate i64 | requestId u53  |
//     +----------------------+------------------+---------------------+----------------+
//     96    97
//     +-----+
//     | rsn |
//     +-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const AccountUpdatedLayout = defineLayout(RecordType.AccountUpdated, 'AccountUpdated', [
  ['walletAtoms', 'i64'],
  ['equityAtoms', 'i64'],
  ['availableAtoms', 'i64'],
  ['withdrawableAtoms', 'i64'],
  ['maintenanceAtoms', 'i64'],
  ['initialAtoms', 'i64'],
  ['marginRatioRate', 'i64'],
  ['requestId', 'u53'],
  ['reason', 'u8'],
] as const);
