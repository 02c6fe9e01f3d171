// Funding settlement (docs/RISK.md, "Funding" 4): at a FundingRateApplied from the market's shard, every open
// position of the market that this shard owns pays q·MP·atomsPerTickLot·F (risk/funding.ts: a payer pays
// the ceiling, a receiver gets the floor), from the wallet (cross) or from M_iso (isolated). The shard's
// net (what it collected minus what it paid, ≥ 0 over balanced open interest) goes to the funding
// clearing ledger, which keeps conservation exact (invariant I2); FundingPaid goes out per position.
// Positions are paid in ascending account order, so the output order is a function of state.
//
// Funding moves every LP of the market (and of the payers' other cross positions), and can make a scope
// liquidatable: each paying scope is handed to the margin monitor (reason FUNDING), which evaluates it
// within its per-record budget, publishes the positions whose LP/BP moved and an AccountUpdated for
// cross accounts, and calls the liquidation check where needed.
//
// The funding round: one timer tick settles funding in every market at once, on several market shards
// whose records arrive here in thread order. Payments of different markets commute (each is a function
// of its own record and the position), but an evaluation between two of them would see a state that
// exists in one order only. So the monitor holds the paid scopes while the round is open, and releases
// them, sorted, when it closes: when no market with a mark still owes funding at the record's time (its
// next funding time, as the last MarkPriceUpdated or FundingRateApplied of that market said, is not
// past), or, failing that, at the next record of any other kind than FundingRateApplied or the timer
// tick that opened the round (risk-shard.ts): a market that will not report soon holds nobody for long.
// Thread contract: the risk-shard thread.

import { FundingRateAppliedLayout } from '../../engine/ring/layouts/funding-rate-applied.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { fundingPayments } from '../funding.js';
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
  market.nextFundingTimeUs = nextFundingTimeUs(fundingTimeUs, buf.u53At(at, FRA.intervalUs), timeUs);
  payFunding(p, marketId, rate, markTicks, fundingTimeUs, timeUs);
  if (!fundingRoundOpen(p, timeUs)) p.monitor.releaseFunded();
}

/** The market shard's rule (market-pricing.ts): the funding time plus one interval, or the first boundary after now. */
function nextFundingTimeUs(fundingTimeUs: number, intervalUs: number, timeUs: number): number {
  const next = fundingTimeUs + intervalUs;
  return next > timeUs || intervalUs <= 0 ? next : (Math.floor(timeUs / intervalUs) + 1) * intervalUs;
}

/** Does a market with a mark still owe the funding of a time at or before timeUs? (An any: order-free.) */
function fundingRoundOpen(p: ShardParts, timeUs: number): boolean {
  for (const m of p.state.markets.values()) {
    if (m.markPriceTicks > 0n && m.nextFundingTimeUs > 0 && m.nextFundingTimeUs <= timeUs) return true;
  }
  return false;
}

function payFunding(p: ShardParts, marketId: number, rate: bigint, markTicks: number, fundingTimeUs: number, timeUs: number): void {
  const market = p.state.markets.get(marketId)!;
  const t = p.monitor.triggers.get(marketId)!;
  if (t.size === 0 || rate === 0n || markTicks <= 0) return;
  const positions = t.sortedPositions();
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
    p.monitor.fundingPaid(pos.accountId, isolated ? marketId : CROSS_SCOPE);
  }
  p.state.fundingClearingAtoms += due.residueAtoms;
}
