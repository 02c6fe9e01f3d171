// A shard that died, as both exchanges report it, and the answer its last command gets.
//
// A shard thread dies when handling a record throws (no input should make it, but a bug can), when its
// stream has a gap (records were lost: fatal by design), or when the thread is terminated. The exchange
// cannot go on without it: the first death halts the exchange (no command is taken any more) and is kept
// as a ShardFailedError naming the shard, the error, and the record it died on when there is one.
//
// The answer: when that record is a command (a gateway command, or one a risk shard passed on to a
// market shard: same ids), the gateway gets an OrderRejected with code SHARD_FAILED for it, as if from the
// dead shard, carrying the command's own ids (order id and client order id, or the request id of an
// account command) so the gateway can answer the request that caused it. Other commands already taken
// and not yet answered are the gateway's to fail: the exchange has halted, none of them will be answered.

import { Code } from '../engine/codes.js';
import { OrderRejectedLayout } from '../engine/ring/layouts/order-rejected.js';
import { PlaceOrderLayout } from '../engine/ring/layouts/place-order.js';
import { RecordBuffer, TIME_US } from '../engine/ring/record.js';
import { RecordType, recordTypeName } from '../engine/ring/types.js';
import type { GatewaySource } from './in-process-exchange.js';

const REJ = OrderRejectedLayout.offsets;
const PO = PlaceOrderLayout.offsets;

/** Commands that carry orderId and clientOrderId (the first two body fields, as PlaceOrder's). */
const ORDER_COMMANDS: ReadonlySet<number> = new Set([RecordType.PlaceOrder, RecordType.CancelOrder, RecordType.AmendOrder]);
/** Commands that carry a requestId where an order command carries its orderId. */
const REQUEST_COMMANDS: ReadonlySet<number> = new Set([RecordType.Deposit, RecordType.Withdraw, RecordType.AdjustIsolatedMargin, RecordType.TopUpInsuranceFund]);
/** Record types below this are commands (engine/ring/types.ts). */
const FIRST_EVENT_TYPE = 100;

export class ShardFailedError extends Error {
  /** The command the shard died on, answered with SHARD_FAILED; undefined when it died of something else. */
  readonly answer: RecordBuffer | undefined;

  constructor(
    /** The shard that died. */
    readonly from: GatewaySource,
    cause: Error,
    /** The input the record it died on came from, -1 when it did not die on a record. */
    readonly input: number,
    /** A copy of that record (one slot). */
    readonly record: RecordBuffer | undefined,
  ) {
    super(`${from.kind} shard ${from.shard} died: ${cause.message}${record === undefined ? '' : ` (handling ${describe(record, input)})`}`, { cause });
    this.name = 'ShardFailedError';
    this.answer = record !== undefined && record.type(0) < FIRST_EVENT_TYPE ? answerTo(record) : undefined;
  }
}

function describe(r: RecordBuffer, input: number): string {
  return `${recordTypeName(r.type(0))} seq ${r.seq(0)} of input ${input}, account ${r.accountId(0)}, market ${r.marketId(0)}`;
}

/**
 * Copies a 64-bit field word for word: the record a shard died on may hold any bits (a value past 2^53
 * is one way to kill a shard), and the answer must carry them as they were, without a range check that
 * would throw here.
 */
function copy64(from: RecordBuffer, fromField: number, to: RecordBuffer, toField: number): void {
  to.u32[toField >> 2] = from.u32[fromField >> 2]!;
  to.u32[(toField >> 2) + 1] = from.u32[(fromField >> 2) + 1]!;
}

/** OrderRejected SHARD_FAILED for the command in slot 0 of `cmd`, with the command's own ids. */
function answerTo(cmd: RecordBuffer): RecordBuffer {
  const type = cmd.type(0);
  const b = RecordBuffer.allocate(1);
  b.setType(0, RecordType.OrderRejected);
  copy64(cmd, TIME_US, b, TIME_US);
  b.setMarketId(0, cmd.marketId(0));
  b.setAccountId(0, cmd.accountId(0));
  b.setU16(0, REJ.code, Code.SHARD_FAILED);
  b.setU16(0, REJ.commandType, type);
  if (ORDER_COMMANDS.has(type) || REQUEST_COMMANDS.has(type)) copy64(cmd, PO.orderId, b, REJ.orderId);
  if (ORDER_COMMANDS.has(type)) copy64(cmd, PO.clientOrderId, b, REJ.clientOrderId);
  if (type === RecordType.PlaceOrder) {
    copy64(cmd, PO.priceTicks, b, REJ.priceTicks);
    copy64(cmd, PO.qtyLots, b, REJ.qtyLots);
    b.setU8(0, REJ.side, cmd.u8At(0, PO.side));
    b.setU8(0, REJ.orderType, cmd.u8At(0, PO.orderType));
    b.setU8(0, REJ.origin, cmd.u8At(0, PO.origin));
    b.setU8(0, REJ.reduceOnly, cmd.u8At(0, PO.reduceOnly));
  }
  return b;
}
