// PositionUpdated (type 201): risk shard → gateway. One position as the venue computes it, kept current
// after every fill, mark update and funding payment: size, entry cost (average entry = cost / (|q|·atoms
// per tick·lot)), realized PnL, isolated margin, unrealized PnL at mark, liquidation and bankruptcy prices
// (0 = none), the margin ratio of the position's scope (Σ MM / equity of its isolated scope or of the
// cross account, 10^-8, rounded up; -1 when equity ≤ 0 with a position open, 0 without one), tier
// (1-based), leverage, margin mode, ADL queue quintile (1-5, 5 = first in line, 0 = none).
//
//     32               40                   48                     56                        64
//     +----------------+--------------------+----------------------+-------------------------+
//     | qtyLots i64    | entryCostAtoms i64 | realizedPnlAtoms i64 | isolatedMarginAtoms i64 |
//     +----------------+--------------------+----------------------+-------------------------+
//     64                       72                          80                         88                   96
//     +------------------------+---------------------------+--------------------------+--------------------+
//     | unrealizedPnlAtoms i64 | liquidationPriceTicks u53 | bankruptcyPriceTicks u53 | markPriceTicks u53 |
//     +------------------------+---------------------------+--------------------------+--------------------+
//     96                    104        106    107          108           109   110
//     +---------------------+----------+------+------------+-------------+-----+
//     | marginRatioRate i64 | leverage | tier | marginMode | adlQuintile | rsn |
//     +---------------------+----------+------+------------+-------------+-----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const PositionUpdatedLayout = defineLayout(RecordType.PositionUpdated, 'PositionUpdated', [
  ['qtyLots', 'i64'],
  ['entryCostAtoms', 'i64'],
  ['realizedPnlAtoms', 'i64'],
  ['isolatedMarginAtoms', 'i64'],
  ['unrealizedPnlAtoms', 'i64'],
  ['liquidationPriceTicks', 'u53'],
  ['bankruptcyPriceTicks', 'u53'],
  ['markPriceTicks', 'u53'],
  ['marginRatioRate', 'i64'],
  ['leverage', 'u16'],
  ['tier', 'u8'],
  ['marginMode', 'u8'],
  ['adlQuintile', 'u8'],
  ['reason', 'u8'],
] as const);
