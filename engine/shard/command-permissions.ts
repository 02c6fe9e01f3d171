// Who may issue each command (docs/COMMANDS.md, "Who may send what"). Commands enter the exchange on a
// risk shard's gateway stream, each on behalf of the account in its header; the gateway marks the ones it
// took from an authenticated operator session with HeaderFlag.OPERATOR. Some commands are the engine's
// alone (the risk shard's liquidation pipeline and the market shards produce them), some the operator's;
// from an account's own stream either is refused NOT_PERMITTED, before anything else looks at it.
//
//   any account        PlaceOrder (origin USER), CancelOrder, AmendOrder, CancelAllOrders (reason USER or
//                      CANCEL_ALL), SetAccountConfig, Withdraw, SetLeverage, SetMarginMode,
//                      AdjustIsolatedMargin
//   operator           Deposit (custody credits collateral), TopUpInsuranceFund, SetFeeTier,
//                      CancelAllOrders reason ADMIN, SetMarketStatus (halt, resume), ListMarket (create a
//                      market); and everything an
//                      account may send
//   engine only        PlaceOrder origin LIQUIDATION or ADL, CancelAllOrders reason LIQUIDATION or
//                      REDUCE_ONLY, Deleverage, LiquidationSweep, SetMarkPrice: never from the gateway
//   gateway feeds      AdvanceTime (every shard), UpdateIndexPrice and RecordIndexSource (market
//                      shards): the gateway's own clock and index, not requests
//
// An origin or cancel reason no table holds is malformed (INVALID_FLAGS), not forbidden.

import { Code } from '../codes.js';
import { CancelReason, OrderOrigin } from '../enums.js';
import { CancelAllOrdersLayout } from '../ring/layouts/cancel-all-orders.js';
import { PlaceOrderLayout } from '../ring/layouts/place-order.js';
import { HeaderFlag, type RecordBuffer } from '../ring/record.js';
import { RecordType } from '../ring/types.js';

const PO_ORIGIN = PlaceOrderLayout.offsets.origin;
const CA_REASON = CancelAllOrdersLayout.offsets.reason;

/** OK when whoever the header says sent it (an account, or the operator) may issue this command. */
export function permissionCode(buf: RecordBuffer, at: number): number {
  const operator = (buf.flags(at) & HeaderFlag.OPERATOR) !== 0;
  switch (buf.type(at)) {
    case RecordType.PlaceOrder: {
      const origin = buf.u8At(at, PO_ORIGIN);
      if (origin === OrderOrigin.USER) return Code.OK;
      return origin === OrderOrigin.LIQUIDATION || origin === OrderOrigin.ADL ? Code.NOT_PERMITTED : Code.INVALID_FLAGS;
    }
    case RecordType.CancelAllOrders: {
      const reason = buf.u8At(at, CA_REASON);
      if (reason === CancelReason.USER || reason === CancelReason.CANCEL_ALL) return Code.OK;
      if (reason === CancelReason.ADMIN) return operator ? Code.OK : Code.NOT_PERMITTED;
      return reason === CancelReason.LIQUIDATION || reason === CancelReason.REDUCE_ONLY ? Code.NOT_PERMITTED : Code.INVALID_FLAGS;
    }
    case RecordType.Deposit:
    case RecordType.TopUpInsuranceFund:
    case RecordType.SetFeeTier:
    case RecordType.SetMarketStatus:
    case RecordType.ListMarket:
      return operator ? Code.OK : Code.NOT_PERMITTED;
    case RecordType.Deleverage:
    case RecordType.LiquidationSweep:
    case RecordType.SetMarkPrice:
      return Code.NOT_PERMITTED;
    default:
      return Code.OK;
  }
}
