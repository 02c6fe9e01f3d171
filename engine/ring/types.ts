// Record type ids: the u16 `type` field of every record. Append-only; a retired id stays reserved.
//
//   1-99     commands (imperative): gateway → risk → market, risk → market, operator → any
//   100-199  market-shard events (past tense)
//   200-299  risk-shard events (past tense)
//   300-399  surveillance commands (operator → surveillance worker)

export const RecordType = {
  // commands
  PlaceOrder: 1,
  CancelOrder: 2,
  CancelAllOrders: 3,
  AmendOrder: 4,
  SetAccountConfig: 5,
  SetMarkPrice: 6,
  Deposit: 7,
  Withdraw: 8,
  SetLeverage: 9,
  SetMarginMode: 10,
  AdjustIsolatedMargin: 11,
  TopUpInsuranceFund: 12,
  SetFeeTier: 13,
  UpdateIndexPrice: 14,
  Deleverage: 15,
  AdvanceTime: 16,
  RecordIndexSource: 17,
  LiquidationSweep: 18,
  SetMarketStatus: 19,
  ListMarket: 20,

  // market-shard events
  OrderAccepted: 100,
  OrderRejected: 101,
  TradeExecuted: 102,
  OrderCancelled: 103,
  OrderAmended: 104,
  OrderExpired: 105,
  OrderTriggered: 106,
  BookLevelChanged: 107,
  MarkPriceUpdated: 108,
  FundingRateApplied: 109,
  CommandApplied: 110,
  MarketListed: 111,

  // risk-shard events
  AccountUpdated: 200,
  PositionUpdated: 201,
  FillSettled: 202,
  FundingPaid: 203,
  LiquidationProgressed: 204,
  InsuranceFundChanged: 205,
  AdlExecuted: 206,
  MarginCallIssued: 207,

  // surveillance commands
  SetBeneficialOwner: 300,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export const RETIRED_RECORD_TYPES: readonly number[] = [];

const names = new Map<number, string>();
for (const [name, id] of Object.entries(RecordType)) names.set(id, name);

export function recordTypeName(type: number): string {
  return names.get(type) ?? `Unknown(${type})`;
}
