// The fields every command carries, read the same way by both shards before anything uses them:
//
//   u53 ranges   a record can carry up to 2^64 − 1 in a u53 field (two u32 words); every u53 field of a
//                command's layout must hold a u53, or the command is refused with that field's code
//                before any state changes. The table is built from the layouts themselves, so a field
//                added to a layout later is checked without anyone remembering to.
//   flags        only HeaderFlag bits may be set (INVALID_FLAGS).
//   ids          the id an answer echoes so the gateway can correlate it: a command's order id, request
//                id, deleverage id or sweep id (commandIdOf); order commands also carry a client order id
//                (clientOrderIdOf). Both read 0 when out of range, so an answer that echoes them can
//                never be handed a value its writer would refuse.
//
// Hot path: per command one loop over its (offset, code) pairs, reading one high word per field.

import { Code } from '../codes.js';
import { LAYOUTS } from '../ring/layouts/index.js';
import { isU53, KNOWN_HEADER_FLAGS, type RecordBuffer } from '../ring/record.js';

/** A u53's high word is below 2^21. */
const U53_HIGH_LIMIT = 0x20_0000;
/** Command type ids are 1-99 (ring/types.ts). */
const COMMAND_TYPES = 100;

/** The code a u53 field out of range is refused with, by field name (INVALID_NUMBER otherwise). */
const FIELD_CODES: Readonly<Record<string, number>> = {
  orderId: Code.INVALID_ORDER_ID,
  deleverageId: Code.INVALID_ORDER_ID,
  sweepId: Code.INVALID_ORDER_ID,
  clientOrderId: Code.INVALID_CLIENT_ORDER_ID,
  requestId: Code.INVALID_REQUEST_ID,
  priceTicks: Code.PRICE_OUT_OF_RANGE,
  newPriceTicks: Code.PRICE_OUT_OF_RANGE,
  markPriceTicks: Code.PRICE_OUT_OF_RANGE,
  limitPriceTicks: Code.PRICE_OUT_OF_RANGE,
  indexPriceTicks: Code.PRICE_OUT_OF_RANGE,
  triggerPriceTicks: Code.TRIGGER_PRICE_OUT_OF_RANGE,
  qtyLots: Code.QTY_ABOVE_MAX,
  newQtyLots: Code.QTY_ABOVE_MAX,
};

/** Per command type: [word index of the high word from the record start, code, ...]. */
const RANGE_CHECKS: (Int32Array | undefined)[] = new Array(COMMAND_TYPES);
/** Per command type: offset of its id (order, request or deleverage id), 0 when it has none. */
const ID_OFFSET = new Uint8Array(COMMAND_TYPES);
/** Per command type: offset of its client order id, 0 when it has none. */
const CLIENT_ID_OFFSET = new Uint8Array(COMMAND_TYPES);
const ID_FIELDS: ReadonlySet<string> = new Set(['orderId', 'requestId', 'deleverageId', 'sweepId']);

for (const layout of LAYOUTS) {
  if (layout.type >= COMMAND_TYPES) continue;
  const pairs: number[] = [];
  for (const [name, kind] of layout.fields) {
    if (kind !== 'u53') continue;
    const offset = (layout.offsets as Record<string, number>)[name]!;
    pairs.push((offset >> 2) + 1, FIELD_CODES[name] ?? Code.INVALID_NUMBER);
  }
  RANGE_CHECKS[layout.type] = Int32Array.from(pairs);
  for (const [name, kind] of layout.fields) {
    if (kind !== 'u53') continue;
    const offset = (layout.offsets as Record<string, number>)[name]!;
    if (ID_FIELDS.has(name)) ID_OFFSET[layout.type] = offset;
    else if (name === 'clientOrderId') CLIENT_ID_OFFSET[layout.type] = offset;
  }
}

/** OK when every u53 field of the command holds a u53, else the first failing field's code. */
export function fieldRangeCode(buf: RecordBuffer, at: number, type: number): number {
  const checks = type < COMMAND_TYPES ? RANGE_CHECKS[type] : undefined;
  if (checks === undefined) return Code.OK;
  const u32 = buf.u32;
  const base = at >> 2;
  for (let i = 0; i < checks.length; i += 2) if (u32[base + checks[i]!]! >= U53_HIGH_LIMIT) return checks[i + 1]!;
  return Code.OK;
}

/** OK when the header sets no flag bit but HeaderFlag's. */
export function flagsCode(buf: RecordBuffer, at: number): number {
  return (buf.flags(at) & ~KNOWN_HEADER_FLAGS) === 0 ? Code.OK : Code.INVALID_FLAGS;
}

/** The command's order, request or deleverage id, 0 when it has none or it is out of range. */
export function commandIdOf(buf: RecordBuffer, at: number): number {
  const type = buf.type(at);
  const offset = type < COMMAND_TYPES ? ID_OFFSET[type]! : 0;
  return offset === 0 ? 0 : u53OrZero(buf.u53At(at, offset));
}

/** The command's client order id, 0 when it has none or it is out of range. */
export function clientOrderIdOf(buf: RecordBuffer, at: number): number {
  const type = buf.type(at);
  const offset = type < COMMAND_TYPES ? CLIENT_ID_OFFSET[type]! : 0;
  return offset === 0 ? 0 : u53OrZero(buf.u53At(at, offset));
}

/** A u53 read from a record, or 0 when the record carries more than a u53 there. */
export function u53OrZero(v: number): number {
  return isU53(v) ? v : 0;
}
