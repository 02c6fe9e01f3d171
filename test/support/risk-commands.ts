// Builders for the risk shard's input records in tests: account commands from the gateway, and the market
// shard's events a risk shard consumes (mark, funding, order lifecycle, trades). Plain values in, Cmd out
// (encode with encodeStream from commands.ts, or feed one at a time).

import { OrderOrigin, OrderType, Side } from '../../engine/enums.js';
import { AdjustIsolatedMarginLayout } from '../../engine/ring/layouts/adjust-isolated-margin.js';
import { AdvanceTimeLayout } from '../../engine/ring/layouts/advance-time.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { FundingRateAppliedLayout } from '../../engine/ring/layouts/funding-rate-applied.js';
import { MarkPriceUpdatedLayout } from '../../engine/ring/layouts/mark-price-updated.js';
import { OrderAcceptedLayout } from '../../engine/ring/layouts/order-accepted.js';
import { OrderCancelledLayout } from '../../engine/ring/layouts/order-cancelled.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { SetFeeTierLayout } from '../../engine/ring/layouts/set-fee-tier.js';
import { SetLeverageLayout } from '../../engine/ring/layouts/set-leverage.js';
import { SetMarginModeLayout } from '../../engine/ring/layouts/set-margin-mode.js';
import { TopUpInsuranceFundLayout } from '../../engine/ring/layouts/top-up-insurance-fund.js';
import { TradeExecutedLayout } from '../../engine/ring/layouts/trade-executed.js';
import { WithdrawLayout } from '../../engine/ring/layouts/withdraw.js';
import { HeaderFlag } from '../../engine/ring/record.js';
import type { Cmd } from './commands.js';

const T = 1;
/** Deposits, top-ups and fee tiers are the operator's (engine/shard/command-permissions.ts). */
const OPERATOR = HeaderFlag.OPERATOR;

/** A custody credit, as the operator sends it. */
export function deposit(accountId: number, amountAtoms: bigint, requestId: number, assetId = 0): Cmd {
  return { layout: DepositLayout, header: { accountId, timeUs: T, flags: OPERATOR }, body: { requestId, amountAtoms, assetId } };
}

export function withdraw(accountId: number, amountAtoms: bigint, requestId: number, assetId = 0): Cmd {
  return { layout: WithdrawLayout, header: { accountId, timeUs: T }, body: { requestId, amountAtoms, assetId } };
}

export function setLeverage(accountId: number, leverage: number, marketId = 1, requestId = 0): Cmd {
  return { layout: SetLeverageLayout, header: { accountId, marketId, timeUs: T }, body: { requestId, leverage } };
}

export function setMarginMode(accountId: number, marginMode: number, marketId = 1, requestId = 0): Cmd {
  return { layout: SetMarginModeLayout, header: { accountId, marketId, timeUs: T }, body: { requestId, marginMode } };
}

export function adjustIsolatedMargin(accountId: number, deltaAtoms: bigint, requestId: number, marketId = 1): Cmd {
  return { layout: AdjustIsolatedMarginLayout, header: { accountId, marketId, timeUs: T }, body: { requestId, deltaAtoms } };
}

/** The operator's fee tier for an account. */
export function setFeeTier(accountId: number, feeTier: number, requestId = 0): Cmd {
  return { layout: SetFeeTierLayout, header: { accountId, timeUs: T, flags: OPERATOR }, body: { requestId, feeTier } };
}

/** The operator's top-up of the insurance-fund partition of the header account's shard. */
export function topUpInsuranceFund(accountId: number, amountAtoms: bigint, requestId: number): Cmd {
  return { layout: TopUpInsuranceFundLayout, header: { accountId, timeUs: T, flags: OPERATOR }, body: { requestId, amountAtoms } };
}

export function advanceTime(timeUs: number): Cmd {
  return { layout: AdvanceTimeLayout, header: { timeUs }, body: {} };
}

export interface MarkArgs {
  indexPriceTicks?: number;
  fundingRate?: bigint;
  nextFundingTimeUs?: number;
  stale?: boolean;
  timeUs?: number;
}

export function markPriceUpdated(marketId: number, markPriceTicks: number, a: MarkArgs = {}): Cmd {
  return {
    layout: MarkPriceUpdatedLayout,
    header: { marketId, timeUs: a.timeUs ?? T },
    body: {
      markPriceTicks,
      indexPriceTicks: a.indexPriceTicks ?? markPriceTicks,
      fundingRate: a.fundingRate ?? 0n,
      nextFundingTimeUs: a.nextFundingTimeUs ?? 0,
      stale: a.stale ? 1 : 0,
    },
  };
}

export function fundingRateApplied(marketId: number, fundingRate: bigint, markPriceTicks: number, fundingTimeUs = T): Cmd {
  return {
    layout: FundingRateAppliedLayout,
    header: { marketId, timeUs: fundingTimeUs },
    body: { fundingRate, markPriceTicks, intervalUs: 28_800_000_000, fundingTimeUs, premiumRate: 0n },
  };
}

export interface TradeArgs {
  taker: number;
  maker: number;
  takerOrderId: number;
  makerOrderId: number;
  /** The taker's side; the maker takes the other. */
  takerSide: Side;
  priceTicks: number;
  qtyLots: number;
  tradeId?: number;
  takerRemainingLots?: number;
  makerRemainingLots?: number;
  takerOrigin?: number;
  makerOrigin?: number;
  marketId?: number;
  timeUs?: number;
}

export function tradeExecuted(a: TradeArgs): Cmd {
  return {
    layout: TradeExecutedLayout,
    header: { marketId: a.marketId ?? 1, accountId: a.taker, timeUs: a.timeUs ?? T },
    body: {
      takerOrderId: a.takerOrderId,
      makerOrderId: a.makerOrderId,
      tradeId: a.tradeId ?? 1,
      takerClientOrderId: 0,
      makerClientOrderId: 0,
      priceTicks: a.priceTicks,
      qtyLots: a.qtyLots,
      makerAccountId: a.maker,
      takerRemainingLots: a.takerRemainingLots ?? 0,
      makerRemainingLots: a.makerRemainingLots ?? 0,
      takerSide: a.takerSide,
      takerOrigin: a.takerOrigin ?? OrderOrigin.USER,
      makerOrigin: a.makerOrigin ?? OrderOrigin.USER,
    },
  };
}

export function orderAccepted(accountId: number, orderId: number, side: Side, priceTicks: number, qtyLots: number, marketId = 1, orderType: number = OrderType.LIMIT): Cmd {
  return {
    layout: OrderAcceptedLayout,
    header: { accountId, marketId, timeUs: T },
    body: { orderId, clientOrderId: 0, priceTicks, qtyLots, triggerPriceTicks: 0, side, orderType, timeInForce: 0, stpMode: 1, triggerSource: 0, reduceOnly: 0, origin: OrderOrigin.USER },
  };
}

export function orderRejected(accountId: number, orderId: number, code: number, commandType: number, marketId = 1): Cmd {
  return { layout: OrderRejectedLayout, header: { accountId, marketId, timeUs: T }, body: { orderId, clientOrderId: 0, code, commandType } };
}

export function orderCancelled(accountId: number, orderId: number, remainingLots: number, marketId = 1, reason = 1): Cmd {
  return { layout: OrderCancelledLayout, header: { accountId, marketId, timeUs: T }, body: { orderId, clientOrderId: 0, priceTicks: 0, remainingLots, filledLots: 0, side: 0, reason, origin: 0, orderType: 0 } };
}

