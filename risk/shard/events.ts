// Small enumerations carried in the risk shard's event records (u8 fields). Append-only.

/** AccountUpdated.reason and PositionUpdated.reason: what changed the account or position. */
export const UpdateReason = {
  DEPOSIT: 1,
  WITHDRAWAL: 2,
  FILL: 3,
  MARK: 4,
  FUNDING: 5,
  LEVERAGE: 6,
  MARGIN_MODE: 7,
  ISOLATED_MARGIN: 8,
  ORDER: 9,
  LIQUIDATION: 10,
  ADL: 11,
  FEE_TIER: 12,
  /** Not a change: the shard's state copied for a restarted gateway (risk-shard-state.ts), never on the stream. */
  STATE: 13,
} as const;
export type UpdateReason = (typeof UpdateReason)[keyof typeof UpdateReason];

/**
 * LiquidationProgressed.step: the pipeline steps of docs/RISK.md as they happen. The record's fields per
 * step (qty signed in the closing trade's direction: a sale < 0):
 *   TRIGGERED, ORDERS_CANCELLED, HEALTHY, COMPLETED   scope's market id (CROSS_SCOPE for cross), qty 0, price 0
 *   PARTIAL_ORDER, FULL_ORDER                          the order's market, its quantity and limit
 *   PARTIAL_FILL, FULL_FILL, ADL_FILL                  the fill's market, quantity and price
 *   ADL_STARTED                                        the market, the remainder to deleverage, the ADL price
 *   SURPLUS_SETTLED, SHORTFALL_COVERED                 scope's market id, with the IF's take (> 0) or payment (< 0)
 */
export const LiquidationStep = {
  TRIGGERED: 1,
  ORDERS_CANCELLED: 2,
  HEALTHY: 3,
  PARTIAL_ORDER: 4,
  PARTIAL_FILL: 5,
  FULL_ORDER: 6,
  FULL_FILL: 7,
  SURPLUS_SETTLED: 8,
  SHORTFALL_COVERED: 9,
  ADL_STARTED: 10,
  ADL_FILL: 11,
  COMPLETED: 12,
} as const;
export type LiquidationStep = (typeof LiquidationStep)[keyof typeof LiquidationStep];

/** LiquidationProgressed.scope and MarginCallIssued.scope. */
export const ScopeKind = { CROSS: 0, ISOLATED: 1 } as const;
export type ScopeKind = (typeof ScopeKind)[keyof typeof ScopeKind];

/** InsuranceFundChanged.reason. */
export const InsuranceReason = {
  LIQUIDATION_FEE: 1,
  SURPLUS: 2,
  SHORTFALL: 3,
  TOP_UP: 4,
  FUNDING_RESIDUE: 5,
} as const;
export type InsuranceReason = (typeof InsuranceReason)[keyof typeof InsuranceReason];

/** FillSettled.liquidity. */
export const Liquidity = { MAKER: 0, TAKER: 1 } as const;
export type Liquidity = (typeof Liquidity)[keyof typeof Liquidity];
