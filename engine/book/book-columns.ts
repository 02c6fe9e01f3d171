// Book columns: L2 levels and open orders as typed-array columns rather than an object each, so a copy of
// a book of a million orders crosses threads as a few transferred buffers (postMessage moves them, O(1))
// instead of a structured clone of a million objects on the sending shard's thread. The reader turns a
// row back into the LevelView or OrderView it was made from.
//
//   levels   per level 3 numbers: priceTicks, qtyLots, orderCount
//   orders   per order 8 numbers: orderId, accountId, clientOrderId, priceTicks, qtyLots, remainingLots,
//            triggerPriceTicks, timeUs; and 7 bytes: side, orderType, timeInForce, stpMode, triggerSource,
//            reduceOnly (0/1), origin (each an engine enum's value, below 256)

import type { LevelView, OrderView } from './types.js';

const LEVEL_NUMS = ['priceTicks', 'qtyLots', 'orderCount'] as const;
const ORDER_NUMS = ['orderId', 'accountId', 'clientOrderId', 'priceTicks', 'qtyLots', 'remainingLots', 'triggerPriceTicks', 'timeUs'] as const;
/** Enum fields (reduceOnly a boolean as 0/1). */
const ORDER_BYTES = ['side', 'orderType', 'timeInForce', 'stpMode', 'triggerSource', 'reduceOnly', 'origin'] as const;

export interface LevelColumns {
  readonly count: number;
  readonly nums: Float64Array;
}

export interface OrderColumns {
  readonly count: number;
  readonly nums: Float64Array;
  readonly bytes: Uint8Array;
}

/** Appends rows of numbers (and bytes) to columns that double as they fill. */
class ColumnWriter<N extends string, B extends string> {
  count = 0;
  nums: Float64Array;
  bytes: Uint8Array;

  constructor(
    private readonly numFields: readonly N[],
    private readonly byteFields: readonly B[],
    rows = 64,
  ) {
    this.nums = new Float64Array(rows * numFields.length);
    this.bytes = new Uint8Array(rows * byteFields.length);
  }

  push(row: Readonly<Record<N, number>> & Readonly<Record<B, number | boolean>>): void {
    const nw = this.numFields.length;
    const bw = this.byteFields.length;
    if ((this.count + 1) * nw > this.nums.length) {
      const nums = new Float64Array(this.nums.length * 2);
      nums.set(this.nums);
      this.nums = nums;
      const bytes = new Uint8Array(this.bytes.length * 2);
      bytes.set(this.bytes);
      this.bytes = bytes;
    }
    const r = this.count++;
    for (let k = 0; k < nw; k++) this.nums[r * nw + k] = row[this.numFields[k]!];
    for (let k = 0; k < bw; k++) this.bytes[r * bw + k] = Number(row[this.byteFields[k]!]);
  }

  columns(): { count: number; nums: Float64Array; bytes: Uint8Array } {
    return { count: this.count, nums: this.nums.subarray(0, this.count * this.numFields.length), bytes: this.bytes.subarray(0, this.count * this.byteFields.length) };
  }
}

/** Row i of columns made by a ColumnWriter with these fields, as an object of those fields. */
function rowAt(numFields: readonly string[], byteFields: readonly string[], c: { nums: Float64Array; bytes?: Uint8Array }, i: number): Record<string, number> {
  const o: Record<string, number> = {};
  for (let k = 0; k < numFields.length; k++) o[numFields[k]!] = c.nums[i * numFields.length + k]!;
  for (let k = 0; k < byteFields.length; k++) o[byteFields[k]!] = c.bytes![i * byteFields.length + k]!;
  return o;
}

export class LevelWriter {
  private readonly w = new ColumnWriter(LEVEL_NUMS, []);

  push(l: LevelView): void {
    this.w.push(l);
  }

  done(): LevelColumns {
    const { count, nums } = this.w.columns();
    return { count, nums };
  }
}

export class OrderWriter {
  private readonly w = new ColumnWriter(ORDER_NUMS, ORDER_BYTES);

  get count(): number {
    return this.w.count;
  }

  push(o: OrderView): void {
    this.w.push(o);
  }

  /** Appends every row of `other`. */
  pushAll(other: OrderColumns): void {
    for (let i = 0; i < other.count; i++) this.push(orderAt(other, i));
  }

  done(): OrderColumns {
    return this.w.columns();
  }
}

function levelAt(c: LevelColumns, i: number): LevelView {
  return rowAt(LEVEL_NUMS, [], c, i) as unknown as LevelView;
}

export function orderAt(c: OrderColumns, i: number): OrderView {
  const o: Record<string, unknown> = rowAt(ORDER_NUMS, ORDER_BYTES, c, i);
  o['reduceOnly'] = o['reduceOnly'] === 1;
  return o as unknown as OrderView;
}

export function levelsOf(c: LevelColumns): LevelView[] {
  return Array.from({ length: c.count }, (_, i) => levelAt(c, i));
}

export function ordersOf(c: OrderColumns): OrderView[] {
  return Array.from({ length: c.count }, (_, i) => orderAt(c, i));
}

export function levelColumns(levels: readonly LevelView[]): LevelColumns {
  const w = new LevelWriter();
  for (const l of levels) w.push(l);
  return w.done();
}

export function orderColumns(orders: readonly OrderView[]): OrderColumns {
  const w = new OrderWriter();
  for (const o of orders) w.push(o);
  return w.done();
}
