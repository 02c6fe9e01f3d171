// Small enumerations shared by records, books and risk. `as const` tables with union types (no TS enum);
// each value is what travels in a record's u8 field, so values are append-only like result codes.

export const Side = { BUY: 0, SELL: 1 } as const;
export type Side = (typeof Side)[keyof typeof Side];

export const OrderType = {
  LIMIT: 0,
  MARKET: 1,
  /** Market order placed when the trigger source crosses the trigger price against the position. */
  STOP_MARKET: 2,
  STOP_LIMIT: 3,
  /** Market order placed when the trigger source crosses the trigger price in the position's favour. */
  TAKE_PROFIT_MARKET: 4,
  TAKE_PROFIT_LIMIT: 5,
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

export const TimeInForce = {
  /** Good till cancelled: the remainder rests. */
  GTC: 0,
  /** Immediate or cancel: the remainder expires. */
  IOC: 1,
  /** Fill or kill: all of it now, or nothing (rejected, the book untouched). */
  FOK: 2,
  /** Rests only: rejected if any part would take. */
  POST_ONLY: 3,
} as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/**
 * Self-trade prevention, decided by the taker's mode when it meets a resting order of its own account.
 * DEFAULT means "the account's default", which itself defaults to EXPIRE_TAKER. There is no "allow":
 * perpx never executes a trade between an account and itself.
 */
export const StpMode = { DEFAULT: 0, EXPIRE_TAKER: 1, EXPIRE_MAKER: 2, EXPIRE_BOTH: 3 } as const;
export type StpMode = (typeof StpMode)[keyof typeof StpMode];

export const TriggerSource = { MARK: 0, LAST: 1 } as const;
export type TriggerSource = (typeof TriggerSource)[keyof typeof TriggerSource];

/** Who created an order: users through the gateway, or the risk shard's liquidation pipeline. */
export const OrderOrigin = { USER: 0, LIQUIDATION: 1, ADL: 2 } as const;
export type OrderOrigin = (typeof OrderOrigin)[keyof typeof OrderOrigin];

/** Why an accepted order left the book without filling completely (OrderCancelled / OrderExpired). */
export const CancelReason = {
  USER: 1,
  CANCEL_ALL: 2,
  /** Reduce-only order with nothing left to reduce. */
  REDUCE_ONLY: 3,
  LIQUIDATION: 4,
  ADMIN: 5,
  IOC_REMAINDER: 6,
  STP_TAKER: 7,
  STP_MAKER: 8,
  STP_BOTH: 9,
  /** Market order remainder that would have filled beyond its slippage limit. */
  SLIPPAGE_LIMIT: 10,
  /** Market order remainder with no liquidity left on the other side. */
  NO_LIQUIDITY: 11,
  /** Limit order whose price fell outside the band when it was triggered or re-checked. */
  PRICE_BAND: 12,
} as const;
export type CancelReason = (typeof CancelReason)[keyof typeof CancelReason];

/** Who set an index tick (UpdateIndexPrice.origin). */
export const IndexOrigin = {
  /** The index oracle: the weighted median of its sources (gateway/oracle/). */
  ORACLE: 0,
  /** An operator's call, which holds until it expires or is cleared. */
  OPERATOR: 1,
  /** A simulated feed (npm start's demo market, tests). */
  SIMULATED: 2,
} as const;
export type IndexOrigin = (typeof IndexOrigin)[keyof typeof IndexOrigin];

/** The venue (or feed) behind an index source (RecordIndexSource.venue). */
export const IndexVenue = { BINANCE: 1, COINBASE: 2, KRAKEN: 3, OKX: 4, BYBIT: 5, MQTT: 6 } as const;
export type IndexVenue = (typeof IndexVenue)[keyof typeof IndexVenue];

/** What an index source's last request came to in the cycle an index tick was computed in. */
export const IndexSourceStatus = {
  /** A price arrived in this cycle. */
  OK: 0,
  /** The request outlived its timeout. */
  TIMEOUT: 1,
  /** The venue answered with an HTTP error status (httpStatus says which). */
  HTTP_ERROR: 2,
  /** The body was not the venue's format, or held no usable price. */
  BAD_BODY: 3,
  /** The connection failed (refused, reset, DNS). */
  NETWORK_ERROR: 4,
  /** The previous request was still running: none was sent (at most one in flight per source). */
  IN_FLIGHT: 5,
  /** Backing off after consecutive failures: none was sent. */
  COOLING_DOWN: 6,
  /** A pushed feed (MQTT) with nothing new since the last cycle. */
  NO_UPDATE: 7,
} as const;
export type IndexSourceStatus = (typeof IndexSourceStatus)[keyof typeof IndexSourceStatus];

/** What the index rules (risk/index-price.ts) did with a source's last price in one index tick. */
export const IndexSourceVerdict = {
  USED: 0,
  /** No price ever received, or a zero price or weight. */
  NO_PRICE: 1,
  /** Last update older than the staleness. */
  STALE: 2,
  /** Further from the fresh sources' weighted median than the maximum deviation. */
  DEVIATED: 3,
  /** An operator's index was in force: the sources were recorded, not used. */
  OVERRIDDEN: 4,
} as const;
export type IndexSourceVerdict = (typeof IndexSourceVerdict)[keyof typeof IndexSourceVerdict];
