// Funding settlement (RISK.md, "Funding" 4): at a FundingRateApplied from the market's shard, every open
// position of the market that this shard owns pays q·MP·atomsPerTickLot·F (risk/funding.ts: a payer pays
// the ceiling, a receiver gets the floor), from the wallet (cross) or from M_iso (isolated). The shard's
// net (what it collected minus what it paid, ≥ 0 over balanced open interest) goes to the funding
// clearing ledger, which keeps conservation exact (invariant I2); FundingPaid goes out per position.
// Positions are paid in ascending account order, so the output order is a function of state.
//
// Funding moves every LP of the market (and of the payers' other cross positions), and can make a scope
// liquidatable: each paying scope is queued for the margin monitor (reason FUNDING), which evaluates it
// within its per-record budget, publishes the positions whose LP/BP moved and an AccountUpdated for
// cross accounts, and calls the liquidation check where needed.
// Thread contract: the risk-shard thread.

import { FundingRateAppliedLayout } from '../../engine/ring/layouts/funding-rate-applied.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { fundingPayments } from '../funding.js';
import { UpdateReason } from './events.js';
import { CROSS_SCOPE } from './seams.js';
import type { ShardParts } from './shard-parts.js';
import { MarginMode } from './state.js';

const FRA = FundingRateAppliedLayout.offsets;

export function fundingRateApplied(p: ShardParts, buf: RecordBuffer, at: number): void {
  const marketId = buf.marketId(at);
  const market = p.state.markets.get(marketId);
  if (market === undefined) return;
  const rate = buf.i64At(at, FRA.fundingRate);
  const markTicks = buf.u53At(at, FRA.markPriceTicks);
  const fundingTimeUs = buf.u53At(at, FRA.fundingTimeUs);
  const timeUs = buf.timeUs(at);
  market.lastFundingRate = rate;
  const t = p.monitor.triggers.get(marketId)!;
  const ids = t.sortedAccountIds();
  if (ids.length === 0 || rate === 0n || markTicks <= 0) return;
  const positions = ids.map((id) => t.slots.get(id)!.pos);
  const due = fundingPayments(
    positions.map((pos) => pos.qtyLots),
    BigInt(markTicks),
    market.spec.atomsPerTickLot,
    rate,
  );
  for (let i = 0; i < positions.length; i++) {
    const pos = positions[i]!;
    const pay = due.paymentsAtoms[i]!;
    const isolated = pos.marginMode === MarginMode.ISOLATED;
    const account = p.state.accounts.get(pos.accountId)!;
    p.quintiles.beforeChange(account);
    if (isolated) pos.isolatedMarginAtoms -= pay;
    else account.walletAtoms -= pay;
    p.events.fundingPaid(pos.accountId, marketId, timeUs, rate, pay, pos.qtyLots, markTicks, fundingTimeUs);
    p.monitor.enqueue(pos.accountId, isolated ? marketId : CROSS_SCOPE, UpdateReason.FUNDING);
  }
  p.state.fundingClearingAtoms += due.residueAtoms;
}
