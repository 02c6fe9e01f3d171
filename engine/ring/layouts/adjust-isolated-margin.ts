// AdjustIsolatedMargin (type 11): gateway → risk shard. Moves deltaAtoms from the wallet into an isolated
// position's margin (> 0) or back (< 0); a removal that would make the position liquidatable, or take more
// than the wallet-side rules allow, is refused (ISOLATED_MARGIN_WOULD_LIQUIDATE).
//
//     32               40               48
//     +----------------+----------------+
//     | requestId u53  | deltaAtoms i64 |
//     +----------------+----------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const AdjustIsolatedMarginLayout = defineLayout(RecordType.AdjustIsolatedMargin, 'AdjustIsolatedMargin', [
  ['requestId', 'u53'],
  ['deltaAtoms', 'i64'],
] as const);
