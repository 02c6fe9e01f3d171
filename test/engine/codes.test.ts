import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code, codeBand, CodeBand, codeName, RETIRED_CODES } from '../../engine/codes.js';

// The registry is append-only: this pin changes only by adding lines. A number that changes meaning
// here breaks every client that has stored it.
const PINNED: Record<string, number> = {
  OK: 0,
  UNKNOWN_MARKET: 1001, UNKNOWN_COMMAND: 1002, INVALID_SIDE: 1003, INVALID_ORDER_TYPE: 1004,
  INVALID_TIME_IN_FORCE: 1005, INVALID_STP_MODE: 1006, INVALID_TRIGGER_SOURCE: 1007, PRICE_NOT_ON_TICK: 1008,
  PRICE_OUT_OF_RANGE: 1009, PRICE_OUTSIDE_BAND: 1010, QTY_NOT_ON_LOT: 1011, QTY_BELOW_MIN: 1012,
  QTY_ABOVE_MAX: 1013, PRICE_REQUIRED: 1014, TRIGGER_PRICE_REQUIRED: 1015, TRIGGER_PRICE_OUT_OF_RANGE: 1016,
  INVALID_ORDER_ID: 1017, INVALID_CLIENT_ORDER_ID: 1018, INVALID_ACCOUNT: 1019, POST_ONLY_REQUIRES_LIMIT: 1020,
  INVALID_NUMBER: 1021, INVALID_AMEND: 1022, INVALID_FLAGS: 1023, INVALID_MARKET_SPEC: 1024,
  NOT_PERMITTED: 1025, TIME_WENT_BACKWARDS: 1026, TIME_BEYOND_HORIZON: 1027, TIME_OUT_OF_RANGE: 1028,
  INVALID_REQUEST_ID: 1029,
  INSUFFICIENT_MARGIN: 2001, BELOW_INITIAL_MARGIN: 2002, POSITION_LIMIT_EXCEEDED: 2003, REDUCE_ONLY_NO_POSITION: 2004,
  REDUCE_ONLY_WOULD_INCREASE: 2005, LEVERAGE_TOO_HIGH: 2006, ACCOUNT_LIQUIDATING: 2007, MARKET_REDUCE_ONLY: 2008,
  MARGIN_MODE_CHANGE_WITH_POSITION: 2009, ISOLATED_MARGIN_WOULD_LIQUIDATE: 2010, NOT_ISOLATED: 2011,
  MARK_PRICE_UNAVAILABLE: 2012,
  ORDER_NOT_FOUND: 3001, DUPLICATE_ORDER_ID: 3002, DUPLICATE_CLIENT_ORDER_ID: 3003, POST_ONLY_WOULD_TAKE: 3004,
  FOK_NOT_FILLABLE: 3005, NO_LIQUIDITY: 3006, TOO_MANY_OPEN_ORDERS: 3007, BOOK_FULL: 3008,
  AMEND_NOTHING_TO_CHANGE: 3009, AMEND_QTY_BELOW_FILLED: 3010, REDUCE_ONLY_WOULD_NOT_REDUCE: 3011,
  MARKET_HALTED: 3012, STOP_ORDER_NOT_AMENDABLE: 3013, STOP_WOULD_TRIGGER_IMMEDIATELY: 3014,
  DELEVERAGE_NOT_POSSIBLE: 3015,
  INSUFFICIENT_BALANCE: 4001, WITHDRAWAL_EXCEEDS_WITHDRAWABLE: 4002, WITHDRAWALS_BLOCKED_NEGATIVE_EQUITY: 4003,
  UNKNOWN_ASSET: 4004, AMOUNT_NOT_POSITIVE: 4005, UNKNOWN_ACCOUNT: 4006, DUPLICATE_REQUEST: 4007,
  BALANCE_LIMIT_EXCEEDED: 4008,
  JOURNAL_CORRUPT: 5001, SNAPSHOT_CORRUPT: 5002, JOURNAL_GAP: 5003, STORE_UNAVAILABLE: 5004, STORE_IO_FAILED: 5005,
  DATA_DIR_MISSING: 5006, DATA_DIR_FOREIGN: 5007, DATA_DIR_MISMATCH: 5008,
  SNAPSHOT_TRUNCATED: 5101, SNAPSHOT_VERSION_UNSUPPORTED: 5102, SNAPSHOT_KIND_MISMATCH: 5103, SNAPSHOT_MALFORMED: 5104,
  SNAPSHOT_HASH_MISMATCH: 5105, SNAPSHOT_STREAM_MISMATCH: 5106,
  UNAUTHENTICATED: 6001, RATE_LIMITED: 6002, BACK_PRESSURE: 6003, MALFORMED_FRAME: 6004, FRAME_TOO_LARGE: 6005,
  UNKNOWN_CHANNEL: 6501,
  SHARD_FAILED: 7001,
};

test('every pinned code keeps its number', () => {
  for (const [name, value] of Object.entries(PINNED)) assert.equal((Code as Record<string, number>)[name], value, name);
});

test('every code in the registry is pinned, so additions are deliberate', () => {
  for (const name of Object.keys(Code)) assert.ok(name in PINNED, `${name} is not pinned in codes.test.ts`);
});

test('no two names share a number and no retired number is reused', () => {
  const values = Object.values(Code);
  assert.equal(new Set(values).size, values.length);
  for (const r of RETIRED_CODES) assert.ok(!values.includes(r as never), `retired code ${r} reused`);
});

test('each code sits in the band of its owner', () => {
  assert.equal(codeBand(Code.PRICE_NOT_ON_TICK), CodeBand.VALIDATION);
  assert.equal(codeBand(Code.INSUFFICIENT_MARGIN), CodeBand.RISK);
  assert.equal(codeBand(Code.POST_ONLY_WOULD_TAKE), CodeBand.MATCHING);
  assert.equal(codeBand(Code.INSUFFICIENT_BALANCE), CodeBand.ACCOUNT);
  assert.equal(codeBand(Code.JOURNAL_CORRUPT), CodeBand.PERSISTENCE);
  assert.equal(codeBand(Code.RATE_LIMITED), CodeBand.GATEWAY);
  assert.equal(codeBand(Code.SHARD_FAILED), CodeBand.EXCHANGE);
  for (const v of Object.values(Code)) assert.ok(v === 0 || (codeBand(v) >= 1 && codeBand(v) <= 7), String(v));
});

test('codeName gives the stable name and flags numbers it does not know', () => {
  assert.equal(codeName(3004), 'POST_ONLY_WOULD_TAKE');
  assert.equal(codeName(0), 'OK');
  assert.equal(codeName(999), 'UNKNOWN_CODE');
});
