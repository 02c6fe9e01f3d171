// Every record layout, by type id: the registry generic tools (decode for tests, the journal inspector,
// the gateway) look layouts up in.

import { HEADER_BYTES, type RecordBuffer } from '../record.js';
import { recordTypeName } from '../types.js';
import { AmendOrderLayout } from './amend-order.js';
import { BookLevelChangedLayout } from './book-level-changed.js';
import { CancelAllOrdersLayout } from './cancel-all-orders.js';
import { CancelOrderLayout } from './cancel-order.js';
import { CommandAppliedLayout } from './command-applied.js';
import { readField, writeField, type FieldKind, type Layout } from './layout.js';
import { DepositLayout } from './deposit.js';
import { WithdrawLayout } from './withdraw.js';
import { SetLeverageLayout } from './set-leverage.js';
import { SetMarginModeLayout } from './set-margin-mode.js';
import { AdjustIsolatedMarginLayout } from './adjust-isolated-margin.js';
import { TopUpInsuranceFundLayout } from './top-up-insurance-fund.js';
import { SetFeeTierLayout } from './set-fee-tier.js';
import { UpdateIndexPriceLayout } from './update-index-price.js';
import { DeleverageLayout } from './deleverage.js';
import { LiquidationSweepLayout } from './liquidation-sweep.js';
import { AdvanceTimeLayout } from './advance-time.js';
import { RecordIndexSourceLayout } from './record-index-source.js';
import { MarkPriceUpdatedLayout } from './mark-price-updated.js';
import { FundingRateAppliedLayout } from './funding-rate-applied.js';
import { AccountUpdatedLayout } from './account-updated.js';
import { PositionUpdatedLayout } from './position-updated.js';
import { FillSettledLayout } from './fill-settled.js';
import { FundingPaidLayout } from './funding-paid.js';
import { LiquidationProgressedLayout } from './liquidation-progressed.js';
import { InsuranceFundChangedLayout } from './insurance-fund-changed.js';
import { AdlExecutedLayout } from './adl-executed.js';
import { MarginCallIssuedLayout } from './margin-call-issued.js';
import { OrderAcceptedLayout } from './order-accepted.js';
import { OrderAmendedLayout } from './order-amended.js';
import { OrderCancelledLayout } from './order-cancelled.js';
import { OrderExpiredLayout } from './order-expired.js';
import { OrderRejectedLayout } from './order-rejected.js';
import { OrderTriggeredLayout } from './order-triggered.js';
import { PlaceOrderLayout } from './place-order.js';
import { SetAccountConfigLayout } from './set-account-config.js';
import { SetMarkPriceLayout } from './set-mark-price.js';
import { SetBeneficialOwnerLayout } from './set-beneficial-owner.js';
import { TradeExecutedLayout } from './trade-executed.js';
import { SetMarketStatusLayout } from './set-market-status.js';
import { ListMarketLayout } from './list-market.js';
import { MarketListedLayout } from './market-listed.js';

export const LAYOUTS: readonly Layout[] = [
  PlaceOrderLayout,
  CancelOrderLayout,
  CancelAllOrdersLayout,
  AmendOrderLayout,
  SetAccountConfigLayout,
  SetMarkPriceLayout,
  OrderAcceptedLayout,
  OrderRejectedLayout,
  TradeExecutedLayout,
  OrderCancelledLayout,
  OrderAmendedLayout,
  OrderExpiredLayout,
  OrderTriggeredLayout,
  BookLevelChangedLayout,
  DepositLayout,
  WithdrawLayout,
  SetLeverageLayout,
  SetMarginModeLayout,
  AdjustIsolatedMarginLayout,
  TopUpInsuranceFundLayout,
  SetFeeTierLayout,
  UpdateIndexPriceLayout,
  DeleverageLayout,
  LiquidationSweepLayout,
  AdvanceTimeLayout,
  RecordIndexSourceLayout,
  SetMarketStatusLayout,
  MarkPriceUpdatedLayout,
  FundingRateAppliedLayout,
  AccountUpdatedLayout,
  PositionUpdatedLayout,
  FillSettledLayout,
  FundingPaidLayout,
  LiquidationProgressedLayout,
  InsuranceFundChangedLayout,
  AdlExecutedLayout,
  MarginCallIssuedLayout,
  CommandAppliedLayout,
  SetBeneficialOwnerLayout,
  ListMarketLayout,
  MarketListedLayout,
];

/**
 * A layout's fields as three parallel arrays, in its order, for the generic encode and decode: an index
 * loop over them allocates nothing, where `for (const [name, kind] of layout.fields)` made an iterator
 * per record and looked every offset up by name (in the gateway-order profile decodeRecord and
 * encodeRecord were ~5.5% of the whole, two records decoded and one encoded per order). `reserved`
 * fields are left out of the decode's plan only (encode writes what the body gives, as before).
 */
interface Plan {
  readonly names: readonly string[];
  readonly kinds: readonly FieldKind[];
  readonly offsets: readonly number[];
  /**
   * The decoded record's keys in their order (header, then the fields), values zero: decode copies it
   * (`{ ...template }`, one object with every property in place) and overwrites the values, where
   * adding the fields one by one grew the object's property store several times per record.
   */
  readonly template: DecodedRecord;
}

function planOf(l: Layout, withReserved: boolean): Plan {
  const fields = l.fields.filter(([name]) => withReserved || name !== 'reserved');
  const offsets = l.offsets as Readonly<Record<string, number>>;
  const template: DecodedRecord = { type: recordTypeName(l.type), seq: 0, timeUs: 0, marketId: 0, accountId: 0, flags: 0 };
  for (const [name, kind] of fields) template[name] = kind === 'i64' ? 0n : 0;
  return { names: fields.map(([n]) => n), kinds: fields.map(([, k]) => k), offsets: fields.map(([n]) => offsets[n]!), template };
}

const byType = new Map<number, Layout>();
const decodePlans = new Map<number, Plan>();
const encodePlans = new Map<Layout, Plan>();
for (const l of LAYOUTS) {
  if (byType.has(l.type)) throw new Error(`record type ${l.type} has two layouts`);
  byType.set(l.type, l);
  decodePlans.set(l.type, planOf(l, false));
  encodePlans.set(l, planOf(l, true));
}

export function layoutOf(type: number): Layout | undefined {
  return byType.get(type);
}

export interface DecodedRecord {
  type: string;
  seq: number;
  timeUs: number;
  marketId: number;
  accountId: number;
  flags: number;
  [field: string]: number | bigint | string;
}

/** Reads a record into a plain object (allocates: tests, tools and the gateway edge only). */
export function decodeRecord(buf: RecordBuffer, at: number): DecodedRecord {
  const type = buf.type(at);
  const plan = decodePlans.get(type);
  if (plan === undefined) {
    return { type: recordTypeName(type), seq: buf.seq(at), timeUs: buf.timeUs(at), marketId: buf.marketId(at), accountId: buf.accountId(at), flags: buf.flags(at) };
  }
  const out = { ...plan.template };
  out.seq = buf.seq(at);
  out.timeUs = buf.timeUs(at);
  out.marketId = buf.marketId(at);
  out.accountId = buf.accountId(at);
  out.flags = buf.flags(at);
  const { names, kinds, offsets } = plan;
  for (let i = 0; i < names.length; i++) out[names[i]!] = readField(buf, at, offsets[i]!, kinds[i]!);
  return out;
}

export interface RecordHeaderInput {
  seq?: number;
  timeUs?: number;
  marketId?: number;
  accountId?: number;
  flags?: number;
}

/** Writes a whole record from a plain object: the slot is cleared first, absent fields are 0. */
export function encodeRecord(
  buf: RecordBuffer,
  at: number,
  layout: Layout,
  header: RecordHeaderInput,
  body: Readonly<Record<string, number | bigint>>,
): void {
  buf.clear(at);
  buf.setType(at, layout.type);
  buf.setSeq(at, header.seq ?? 0);
  buf.setTimeUs(at, header.timeUs ?? 0);
  buf.setMarketId(at, header.marketId ?? 0);
  buf.setAccountId(at, header.accountId ?? 0);
  buf.setFlags(at, header.flags ?? 0);
  const { names, kinds, offsets } = encodePlans.get(layout) ?? planOf(layout, true); // a layout not registered: tests' own
  for (let i = 0; i < names.length; i++) {
    const v = body[names[i]!];
    if (v === undefined) continue;
    writeField(buf, at, offsets[i]!, kinds[i]!, v);
  }
}

export { HEADER_BYTES };
