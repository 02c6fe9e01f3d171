// Which gateway records answer a command (docs/COMMANDS.md, "One answer per command"), read off the
// command's own record, whatever it holds: the fuzz test counts them for every command it sends.

import { CancelReason } from '../../engine/enums.js';
import type { DecodedRecord } from '../../engine/ring/layouts/index.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { clientOrderIdOf, commandIdOf } from '../../engine/shard/command-fields.js';
import { InsuranceReason, UpdateReason } from '../../risk/shard/events.js';

/** The reason of the AccountUpdated that answers each account command. */
const ACCOUNT_REASONS: Partial<Record<number, number>> = {
  [RecordType.Deposit]: UpdateReason.DEPOSIT,
  [RecordType.Withdraw]: UpdateReason.WITHDRAWAL,
  [RecordType.AdjustIsolatedMargin]: UpdateReason.ISOLATED_MARGIN,
  [RecordType.SetLeverage]: UpdateReason.LEVERAGE,
  [RecordType.SetMarginMode]: UpdateReason.MARGIN_MODE,
  [RecordType.SetFeeTier]: UpdateReason.FEE_TIER,
};

/** What a command is matched by. */
export interface CommandKey {
  type: number;
  accountId: number;
  marketId: number;
  timeUs: number;
  /** Order, request or deleverage id (0: none, or past 2^53). */
  id: number;
  clientOrderId: number;
}

export function commandKey(buf: RecordBuffer, at: number): CommandKey {
  return { type: buf.type(at), accountId: buf.accountId(at), marketId: buf.marketId(at), timeUs: buf.timeUs(at), id: commandIdOf(buf, at), clientOrderId: clientOrderIdOf(buf, at) };
}

/** e says the command was applied. */
export function applies(c: CommandKey, e: DecodedRecord): boolean {
  if (e.accountId !== c.accountId && c.type !== RecordType.UpdateIndexPrice && c.type !== RecordType.TopUpInsuranceFund) return false;
  switch (c.type) {
    case RecordType.PlaceOrder:
      return e.type === 'OrderAccepted' && e.orderId === c.id && e.marketId === c.marketId;
    case RecordType.CancelOrder:
      return e.type === 'OrderCancelled' && e.reason === CancelReason.USER && e.marketId === c.marketId && (c.id !== 0 ? e.orderId === c.id : e.clientOrderId === c.clientOrderId);
    case RecordType.AmendOrder:
      return e.type === 'OrderAmended' && e.marketId === c.marketId && (c.id !== 0 ? e.orderId === c.id : e.clientOrderId === c.clientOrderId);
    case RecordType.CancelAllOrders:
    case RecordType.SetAccountConfig:
    case RecordType.SetMarketStatus:
      return e.type === 'CommandApplied' && e.commandType === c.type && e.requestId === c.id && e.marketId === c.marketId;
    case RecordType.TopUpInsuranceFund:
      return e.type === 'InsuranceFundChanged' && e.reason === InsuranceReason.TOP_UP && e.requestId === c.id;
    case RecordType.UpdateIndexPrice:
      return e.type === 'MarkPriceUpdated' && e.marketId === c.marketId && e.timeUs === c.timeUs;
    default: {
      const reason = ACCOUNT_REASONS[c.type];
      return reason !== undefined && e.type === 'AccountUpdated' && e.reason === reason && e.requestId === c.id;
    }
  }
}

/** e refuses the command. */
export function refuses(c: CommandKey, e: DecodedRecord): boolean {
  return e.type === 'OrderRejected' && e.commandType === c.type && e.accountId === c.accountId && e.orderId === c.id && e.clientOrderId === c.clientOrderId;
}
