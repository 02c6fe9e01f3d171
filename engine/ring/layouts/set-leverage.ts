// SetLeverage (type 9): gateway → risk shard. The account's chosen leverage in the header's market, at most
// the maximum of the tier its position (and open orders) would fall in; refused if it would leave the scope
// below initial margin. requestId (0: none) comes back in the AccountUpdated or OrderRejected answering it.
//
//     32                40         42
//     +-----------------+----------+
//     | requestId u53   | leverage |
//     +-----------------+----------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetLeverageLayout = defineLayout(RecordType.SetLeverage, 'SetLeverage', [
  ['requestId', 'u53'],
  ['leverage', 'u16'],
] as const);
