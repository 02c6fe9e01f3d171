import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BODY, HEADER_BYTES, RECORD_BYTES, RecordBuffer } from '../../../engine/ring/record.js';
import { decodeRecord, encodeRecord, LAYOUTS, layoutOf } from '../../../engine/ring/layouts/index.js';
import { defineLayout, readField, sizeOf, writeField, type FieldKind, type Layout } from '../../../engine/ring/layouts/layout.js';
import { PlaceOrderLayout } from '../../../engine/ring/layouts/place-order.js';
import { TradeExecutedLayout } from '../../../engine/ring/layouts/trade-executed.js';
import { RecordType, recordTypeName, RETIRED_RECORD_TYPES } from '../../../engine/ring/types.js';
import { rng, testSeed, type Rng } from '../../support/seed.js';

test('the header is 32 bytes and a record is 128', () => {
  assert.equal(HEADER_BYTES, 32);
  assert.equal(BODY, HEADER_BYTES);
  assert.equal(RECORD_BYTES, 128);
});

test('every layout fits a record and its offsets add up from the header', () => {
  for (const l of LAYOUTS) {
    let at = BODY;
    for (const [name, kind] of l.fields) {
      assert.equal((l.offsets as Record<string, number>)[name], at, `${l.name}.${name}`);
      at += sizeOf(kind);
    }
    assert.equal(l.end, at, l.name);
    assert.ok(l.end <= RECORD_BYTES, `${l.name} ends at ${l.end}`);
  }
});

test('every record type with a layout is registered once under its id', () => {
  const ids = LAYOUTS.map((l) => l.type);
  assert.equal(new Set(ids).size, ids.length);
  for (const l of LAYOUTS) assert.equal(layoutOf(l.type), l);
  for (const id of Object.values(RecordType)) assert.ok(!RETIRED_RECORD_TYPES.includes(id));
});

test('a misaligned or oversized layout is refused at definition', () => {
  assert.throws(() => defineLayout(999, 'Bad', [['a', 'u8'], ['b', 'u53']] as const), /misaligned/);
  const many = Array.from({ length: 13 }, (_, i) => [`f${i}`, 'u53'] as const);
  assert.throws(() => defineLayout(999, 'Big', many), /do not fit/);
});

test('a record encodes and decodes to the same values, u53 fields included', () => {
  const buf = RecordBuffer.allocate(2);
  const at = buf.at(1);
  const big = 2 ** 53 - 1;
  encodeRecord(buf, at, PlaceOrderLayout, { seq: 77, timeUs: 1_700_000_000_000_000, marketId: 3, accountId: 4_000_000_000 }, {
    orderId: big, clientOrderId: 12, priceTicks: 6_094_035_136_398, qtyLots: 24_638_600, triggerPriceTicks: 0,
    side: 1, orderType: 0, timeInForce: 3, stpMode: 2, triggerSource: 1, reduceOnly: 1, origin: 0,
  });
  const d = decodeRecord(buf, at);
  assert.equal(d.type, 'PlaceOrder');
  assert.equal(d.seq, 77);
  assert.equal(d.timeUs, 1_700_000_000_000_000);
  assert.equal(d.marketId, 3);
  assert.equal(d.accountId, 4_000_000_000);
  assert.equal(d.orderId, big);
  assert.equal(d.priceTicks, 6_094_035_136_398);
  assert.equal(d.qtyLots, 24_638_600);
  assert.equal(d.timeInForce, 3);
  assert.equal(d.reduceOnly, 1);
  assert.ok(!('reserved' in d));
});

test('encoding clears what the slot held before', () => {
  const buf = RecordBuffer.allocate(1);
  buf.i32.fill(-1);
  encodeRecord(buf, 0, TradeExecutedLayout, {}, { qtyLots: 5 });
  const d = decodeRecord(buf, 0);
  assert.equal(d.qtyLots, 5);
  assert.equal(d.priceTicks, 0);
  assert.equal(d.makerAccountId, 0);
});

test('a u53 outside [0, 2^53) is refused rather than silently wrapped', () => {
  const buf = RecordBuffer.allocate(1);
  assert.throws(() => buf.setU53(0, BODY, 2 ** 53), RangeError);
  assert.throws(() => buf.setU53(0, BODY, -1), RangeError);
  assert.throws(() => buf.setU53(0, BODY, 1.5), RangeError);
});

test('copyFrom moves a whole record between buffers', () => {
  const a = RecordBuffer.allocate(2);
  const b = RecordBuffer.allocate(3);
  encodeRecord(a, a.at(1), PlaceOrderLayout, { seq: 9, accountId: 5 }, { orderId: 42, qtyLots: 3 });
  b.copyFrom(a, a.at(1), b.at(2));
  assert.deepEqual(decodeRecord(b, b.at(2)), decodeRecord(a, a.at(1)));
});

test('copyFrom keeps every bit, including words that read as NaN patterns in 64 bits, and touches nothing else', () => {
  const a = RecordBuffer.allocate(2);
  const b = RecordBuffer.allocate(3);
  // Signalling and quiet NaN patterns, negative zero, all ones, and a counting byte pattern.
  const words = [0x7ff0_0000_0000_0001n, 0xfff0_0000_0000_0001n, 0x7ff8_0000_0000_0000n, 0x8000_0000_0000_0000n, 0xffff_ffff_ffff_ffffn];
  const src = new DataView(a.buffer, a.at(1), RECORD_BYTES);
  for (let i = 0; i < RECORD_BYTES / 8; i++) src.setBigUint64(i * 8, words[i % words.length]! ^ BigInt(i), true);
  b.u8.fill(0xa5);
  b.copyFrom(a, a.at(1), b.at(1));
  assert.deepEqual([...b.u8.subarray(b.at(1), b.at(1) + RECORD_BYTES)], [...a.u8.subarray(a.at(1), a.at(1) + RECORD_BYTES)]);
  assert.ok(b.u8.subarray(0, b.at(1)).every((x) => x === 0xa5) && b.u8.subarray(b.at(2)).every((x) => x === 0xa5), 'the neighbours are untouched');
});

// The generic encode and decode as they were written first (a walk of layout.fields by name): the
// reference the faster ones (per-layout plans, index loops) must match byte for byte and key for key.
function referenceEncode(buf: RecordBuffer, at: number, layout: Layout, body: Readonly<Record<string, number | bigint>>): void {
  buf.clear(at);
  buf.setType(at, layout.type);
  buf.setSeq(at, 11);
  buf.setTimeUs(at, 22);
  buf.setMarketId(at, 33);
  buf.setAccountId(at, 44);
  buf.setFlags(at, 5);
  for (const [name, kind] of layout.fields) {
    const v = body[name];
    if (v !== undefined) writeField(buf, at, (layout.offsets as Record<string, number>)[name]!, kind, v);
  }
}

function referenceDecode(buf: RecordBuffer, at: number): Record<string, unknown> {
  const type = buf.type(at);
  const out: Record<string, unknown> = {
    type: recordTypeName(type), seq: buf.seq(at), timeUs: buf.timeUs(at), marketId: buf.marketId(at), accountId: buf.accountId(at), flags: buf.flags(at),
  };
  const layout = layoutOf(type);
  for (const [name, kind] of layout?.fields ?? []) {
    if (name !== 'reserved') out[name] = readField(buf, at, (layout!.offsets as Record<string, number>)[name]!, kind);
  }
  return out;
}

function valueOf(r: Rng, kind: FieldKind): number | bigint {
  switch (kind) {
    case 'u8': return r() & 0xff;
    case 'u16': return r() & 0xffff;
    case 'i32': return r() | 0;
    case 'u32': return r();
    case 'u53': return (r() & 0x1f_ffff) * 2 ** 32 + r();
    case 'i64': return BigInt.asIntN(64, (BigInt(r()) << 32n) | BigInt(r()));
  }
}

test('encodeRecord and decodeRecord match the field-by-name reference on every layout: bytes, keys and their order', () => {
  const seed = testSeed('record-layouts reference');
  const r = rng(seed);
  const a = RecordBuffer.allocate(1);
  const b = RecordBuffer.allocate(1);
  for (let round = 0; round < 20; round++) {
    for (const l of LAYOUTS) {
      const body: Record<string, number | bigint> = {};
      // some fields left out (absent: 0), `reserved` included when the draw says so (encode writes it)
      for (const [name, kind] of l.fields) if (r() % 4 !== 0) body[name] = valueOf(r, kind);
      a.i32.fill(-1);
      b.i32.fill(-1);
      encodeRecord(a, 0, l, { seq: 11, timeUs: 22, marketId: 33, accountId: 44, flags: 5 }, body);
      referenceEncode(b, 0, l, body);
      assert.deepEqual([...a.u8], [...b.u8], `${l.name} bytes (seed ${seed})`);
      const d = decodeRecord(a, 0);
      const ref = referenceDecode(a, 0);
      assert.deepEqual(Object.keys(d), Object.keys(ref), `${l.name} keys (seed ${seed})`);
      assert.deepEqual(d, ref, `${l.name} values (seed ${seed})`);
    }
  }
  // a layout nobody registered (a test's own) encodes too; an unknown type decodes to its header
  const own = defineLayout(999, 'Own', [['x', 'u32'], ['reserved', 'u32'], ['y', 'i64']] as const);
  encodeRecord(a, 0, own, {}, { x: 7, reserved: 9, y: -3n });
  referenceEncode(b, 0, own, { x: 7, reserved: 9, y: -3n });
  b.setSeq(0, 0); b.setTimeUs(0, 0); b.setMarketId(0, 0); b.setAccountId(0, 0); b.setFlags(0, 0);
  assert.deepEqual([...a.u8], [...b.u8]);
  assert.deepEqual(decodeRecord(a, 0), { type: 'Unknown(999)', seq: 0, timeUs: 0, marketId: 0, accountId: 0, flags: 0 });
});
