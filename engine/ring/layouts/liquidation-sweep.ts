// LiquidationSweep (type 18): risk shard → market shard. The full close of a liquidated position as one
// budgeted sweep the market shard executes atomically (engine/shard/liquidation-sweep.ts): it walks the
// opposite side of the book best first, no further than limitPriceTicks (the liquidation band's far edge
// at the risk shard's mark) nor outside the book's own price band, and takes each level while the running
// cost to the insurance fund, Σ (bankruptcyPriceTicks − fill price) · lots · atomsPerTickLot for a sale
// (the mirror for a purchase; fills better than the bankruptcy price count as negative cost), stays
// within budgetAtoms (what the event's reservation has left once closing everything at bankruptcyPriceTicks,
// the price ADL would use, is paid for; below zero when it is not). What it can take goes to the book as one IOC reduce-only order, origin LIQUIDATION,
// id sweepId, whose events (OrderAccepted, TradeExecuted, OrderExpired) answer it; nothing to take is
// answered OrderRejected NO_LIQUIDITY (commandType LiquidationSweep). side is the liquidated account's
// closing side; the header carries its account and the market.
//
// bankruptcyPriceTicks and budgetAtoms are signed and every i64 is meaningful: the cost is computed in
// bigint from any value.
//
//     32            40           48                   56                        64                72
//     +-------------+------------+--------------------+-------------------------+-----------------+----+
//     | sweepId u53 | qtyLots u53| limitPriceTicks u53| bankruptcyPriceTicks i64| budgetAtoms i64 | sd |
//     +-------------+------------+--------------------+-------------------------+-----------------+----+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const LiquidationSweepLayout = defineLayout(RecordType.LiquidationSweep, 'LiquidationSweep', [
  ['sweepId', 'u53'],
  ['qtyLots', 'u53'],
  ['limitPriceTicks', 'u53'],
  ['bankruptcyPriceTicks', 'i64'],
  ['budgetAtoms', 'i64'],
  ['side', 'u8'],
] as const);
