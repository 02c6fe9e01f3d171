// The one result-code registry of perpx.
//
// Every business outcome that is not a success is a distinct, stable number from this table, banded by
// the owner that rejects it (the exchange-core habit):
//
//   0          OK
//   1000-1999  validation   shape and grid checks: the command is malformed for its market
//   2000-2999  risk         pre-trade and account-health checks in the risk shard
//   3000-3999  matching     outcomes decided by the order book
//   4000-4999  account      balance and configuration operations
//   5000-5999  persistence  journal and snapshot problems
//   6000-6999  gateway      edge concerns: authentication, rate limits, back-pressure
//   7000-7999  exchange     the assembled exchange itself: a shard thread that died
//
// Append-only: a number, once published, keeps its meaning forever. Retired codes move to RETIRED_CODES
// and are never reused. test/engine/codes.test.ts pins this table.

export const Code = {
  OK: 0,

  // validation
  UNKNOWN_MARKET: 1001,
  UNKNOWN_COMMAND: 1002,
  INVALID_SIDE: 1003,
  INVALID_ORDER_TYPE: 1004,
  INVALID_TIME_IN_FORCE: 1005,
  INVALID_STP_MODE: 1006,
  INVALID_TRIGGER_SOURCE: 1007,
  PRICE_NOT_ON_TICK: 1008,
  PRICE_OUT_OF_RANGE: 1009,
  PRICE_OUTSIDE_BAND: 1010,
  QTY_NOT_ON_LOT: 1011,
  QTY_BELOW_MIN: 1012,
  QTY_ABOVE_MAX: 1013,
  PRICE_REQUIRED: 1014,
  TRIGGER_PRICE_REQUIRED: 1015,
  TRIGGER_PRICE_OUT_OF_RANGE: 1016,
  INVALID_ORDER_ID: 1017,
  INVALID_CLIENT_ORDER_ID: 1018,
  INVALID_ACCOUNT: 1019,
  POST_ONLY_REQUIRES_LIMIT: 1020,
  INVALID_NUMBER: 1021,
  INVALID_AMEND: 1022,
  INVALID_FLAGS: 1023,
  INVALID_MARKET_SPEC: 1024,
  /** An operator-only or engine-only command from an account's stream (docs/COMMANDS.md). */
  NOT_PERMITTED: 1025,
  /** The record's time is earlier than the shard's current time. */
  TIME_WENT_BACKWARDS: 1026,
  /** The record's time is further past the shard's current time than its horizon allows. */
  TIME_BEYOND_HORIZON: 1027,
  /** The record's time is past MAX_TIME_US, the latest time any record may carry. */
  TIME_OUT_OF_RANGE: 1028,
  /** A request id outside [1, 2^53), or 0 where the command needs one. */
  INVALID_REQUEST_ID: 1029,
  /** A ListMarket part that does not continue the group its stream is in the middle of (or none). */
  LISTING_INCOMPLETE: 1030,
  /** A ListMarket for a market id or symbol the shard holds already, under another listing. */
  MARKET_EXISTS: 1031,
  /** A ListMarket past the exchange's most markets (MAX_MARKETS). */
  TOO_MANY_MARKETS: 1032,
  /** A ListMarket naming a market shard that does not exist, or reaching a market shard it does not name. */
  INVALID_MARKET_SHARD: 1033,

  // risk
  INSUFFICIENT_MARGIN: 2001,
  BELOW_INITIAL_MARGIN: 2002,
  POSITION_LIMIT_EXCEEDED: 2003,
  REDUCE_ONLY_NO_POSITION: 2004,
  REDUCE_ONLY_WOULD_INCREASE: 2005,
  LEVERAGE_TOO_HIGH: 2006,
  ACCOUNT_LIQUIDATING: 2007,
  MARKET_REDUCE_ONLY: 2008,
  MARGIN_MODE_CHANGE_WITH_POSITION: 2009,
  ISOLATED_MARGIN_WOULD_LIQUIDATE: 2010,
  NOT_ISOLATED: 2011,
  MARK_PRICE_UNAVAILABLE: 2012,
  /** Leaving isolated mode while the flat position's isolated margin is below zero (a loss the liquidation reported). */
  ISOLATED_MARGIN_NEGATIVE: 2013,

  // matching
  ORDER_NOT_FOUND: 3001,
  DUPLICATE_ORDER_ID: 3002,
  DUPLICATE_CLIENT_ORDER_ID: 3003,
  POST_ONLY_WOULD_TAKE: 3004,
  FOK_NOT_FILLABLE: 3005,
  NO_LIQUIDITY: 3006,
  TOO_MANY_OPEN_ORDERS: 3007,
  BOOK_FULL: 3008,
  AMEND_NOTHING_TO_CHANGE: 3009,
  AMEND_QTY_BELOW_FILLED: 3010,
  REDUCE_ONLY_WOULD_NOT_REDUCE: 3011,
  MARKET_HALTED: 3012,
  STOP_ORDER_NOT_AMENDABLE: 3013,
  STOP_WOULD_TRIGGER_IMMEDIATELY: 3014,
  DELEVERAGE_NOT_POSSIBLE: 3015,

  // account
  INSUFFICIENT_BALANCE: 4001,
  WITHDRAWAL_EXCEEDS_WITHDRAWABLE: 4002,
  WITHDRAWALS_BLOCKED_NEGATIVE_EQUITY: 4003,
  UNKNOWN_ASSET: 4004,
  AMOUNT_NOT_POSITIVE: 4005,
  UNKNOWN_ACCOUNT: 4006,
  DUPLICATE_REQUEST: 4007,
  /** A deposit or top-up would take a balance past its configured bound (RiskPoolConfig). */
  BALANCE_LIMIT_EXCEEDED: 4008,

  // persistence
  JOURNAL_CORRUPT: 5001,
  SNAPSHOT_CORRUPT: 5002,
  JOURNAL_GAP: 5003,
  STORE_UNAVAILABLE: 5004,
  STORE_IO_FAILED: 5005,
  DATA_DIR_MISSING: 5006,
  DATA_DIR_FOREIGN: 5007,
  DATA_DIR_MISMATCH: 5008,
  // 5100-5199: the shard state codecs (engine/snapshot/, docs/SNAPSHOTS.md)
  SNAPSHOT_TRUNCATED: 5101,
  SNAPSHOT_VERSION_UNSUPPORTED: 5102,
  SNAPSHOT_KIND_MISMATCH: 5103,
  SNAPSHOT_MALFORMED: 5104,
  SNAPSHOT_HASH_MISMATCH: 5105,
  SNAPSHOT_STREAM_MISMATCH: 5106,

  // gateway
  UNAUTHENTICATED: 6001,
  RATE_LIMITED: 6002,
  BACK_PRESSURE: 6003,
  MALFORMED_FRAME: 6004,
  FRAME_TOO_LARGE: 6005,
  /** A request whose `op` the protocol does not define (docs/PROTOCOL.md). */
  UNKNOWN_OPERATION: 6006,
  /** A field missing, of the wrong type, or out of its range. */
  INVALID_FIELD: 6007,
  /** A field the message does not define. */
  UNKNOWN_FIELD: 6008,
  /** Unknown key, wrong signature, or a key not allowed from this address: one answer for all. */
  AUTH_FAILED: 6009,
  /** A signed timestamp outside the key's receive window. */
  TIMESTAMP_OUTSIDE_WINDOW: 6010,
  /** A nonce already used within the receive window. */
  NONCE_REPLAYED: 6011,
  /** The key lacks the scope (read, trade, withdraw) the operation needs. */
  SCOPE_REQUIRED: 6012,
  /** A second login on an authenticated session. */
  ALREADY_AUTHENTICATED: 6013,
  /** Too many connections in total or from this address. */
  CONNECTION_LIMIT: 6014,
  /** The account already has the gateway's maximum of open orders. */
  OPEN_ORDERS_LIMIT: 6015,
  /** A batch larger than the protocol allows, or empty. */
  BATCH_TOO_LARGE: 6016,
  /** The connection's outbound buffer passed its cap: it is closed. */
  SLOW_CONSUMER: 6017,
  /** No frame (or heartbeat answer) within the idle timeout; or no login in time. */
  IDLE_TIMEOUT: 6018,
  /** subscribe / unsubscribe naming a channel no one serves. */
  UNKNOWN_CHANNEL: 6019,
  /** A signature the key requires on this request is absent. */
  SIGNATURE_REQUIRED: 6020,
  /** A retried request (same client order id or request key) whose first attempt is still in flight. */
  REQUEST_IN_FLIGHT: 6021,
  /** A fault inside the gateway while handling the request (a bug): retry with the same client order id. */
  INTERNAL_ERROR: 6022,
  /** A withdrawal repeating a withdrawalId the account used before, with a different amount: nothing moves. */
  WITHDRAWAL_ID_REUSED: 6023,
  // 6900-6999: the operator HTTP server (gateway/operator/, docs/OPERATOR.md)
  /** The operator is authenticated but lacks the role the call needs. */
  OPERATOR_FORBIDDEN: 6901,
  /** A malformed operator request: bad JSON, a missing or ill-typed field, an oversize body. */
  OPERATOR_BAD_REQUEST: 6902,
  /** No such operator route or object. */
  OPERATOR_NOT_FOUND: 6903,
  /** The exchange did not answer in time: the outcome is unknown (retry with the same request id). */
  OPERATOR_TIMEOUT: 6904,
  /** What the call needs is not running (no oracle, no surveillance, the exchange not ready). */
  OPERATOR_UNAVAILABLE: 6905,
  /** The exchange cannot do this at run time (docs/OPERATOR.md says why). */
  OPERATOR_NOT_SUPPORTED: 6906,

  // exchange
  /** The shard handling this command died while handling it (the exchange halts): its outcome is unknown. */
  SHARD_FAILED: 7001,
  /** The exchange has halted (a shard or the journal failed, or it is stopping): nothing more is taken. */
  EXCHANGE_HALTED: 7002,
} as const;

export type CodeName = keyof typeof Code;

/** Numbers that once had a meaning and must never be given another. */
export const RETIRED_CODES: readonly number[] = [];

const names = new Map<number, CodeName>();
for (const name of Object.keys(Code) as CodeName[]) names.set(Code[name], name);

/** The stable name of a code, for logs and the gateway's error frames. */
export function codeName(code: number): CodeName | 'UNKNOWN_CODE' {
  return names.get(code) ?? 'UNKNOWN_CODE';
}

export const CodeBand = {
  OK: 0,
  VALIDATION: 1,
  RISK: 2,
  MATCHING: 3,
  ACCOUNT: 4,
  PERSISTENCE: 5,
  GATEWAY: 6,
  EXCHANGE: 7,
} as const;

/** Which owner rejected: the thousands digit. */
export function codeBand(code: number): number {
  return Math.floor(code / 1000);
}
