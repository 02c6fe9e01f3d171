// What a record can carry that its fields must not hold: shared by the entry-check tests of both shards
// and the fuzz test. A u53 field is two u32 words, so a record can hold up to 2^64 − 1 there.

import { Code } from '../../engine/codes.js';
import { LAYOUTS } from '../../engine/ring/layouts/index.js';
import type { Layout } from '../../engine/ring/layouts/layout.js';
import type { RecordBuffer } from '../../engine/ring/record.js';

/** The code each u53 field is refused with when it holds more than a u53 (INVALID_NUMBER otherwise). */
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

export interface CommandField {
  layout: Layout;
  name: string;
  offset: number;
  code: number;
}

/** Every (command layout, u53 field) pair: the class the range check closes. */
export const COMMAND_U53_FIELDS: readonly CommandField[] = LAYOUTS.filter((l) => l.type < 100).flatMap((l) =>
  l.fields.filter(([, kind]) => kind === 'u53').map(([name]) => ({ layout: l, name, offset: (l.offsets as Record<string, number>)[name]!, code: FIELD_CODES[name] ?? Code.INVALID_NUMBER })),
);

/** Values a u53 field can carry that are not u53s, as [high word, low word]: 2^53, and 2^64 − 1. */
export const PAST_U53: readonly (readonly [hi: number, lo: number])[] = [
  [0x20_0000, 0],
  [0xffff_ffff, 0xffff_ffff],
];

/** Writes the two words of a u53 field directly, past what setU53 would accept. */
export function putWords(buf: RecordBuffer, at: number, offset: number, [hi, lo]: readonly [number, number]): void {
  const w = (at + offset) >> 2;
  buf.u32[w] = lo;
  buf.u32[w + 1] = hi;
}
