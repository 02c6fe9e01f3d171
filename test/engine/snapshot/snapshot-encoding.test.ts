// The snapshot writer and reader (engine/snapshot/): every value reads back as written, including −0, the
// extremes of the number range and bigints of any size; every byte sequence no writer produces is a
// SnapshotError with the right code, never a wrong value.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Code } from '../../../engine/codes.js';
import { SnapshotError } from '../../../engine/snapshot/snapshot-error.js';
import { SnapshotReader } from '../../../engine/snapshot/snapshot-reader.js';
import { EncodeBuffer, SnapshotWriter } from '../../../engine/snapshot/snapshot-writer.js';
import { testSeed } from '../../support/seed.js';

const MAX = Number.MAX_SAFE_INTEGER;

function readerOf(w: SnapshotWriter): SnapshotReader {
  const bytes = w.finish();
  return new SnapshotReader(bytes, 0, bytes.length, 'test');
}

function fails(code: number, read: (r: SnapshotReader) => unknown, bytes: number[]): void {
  const b = Uint8Array.from(bytes);
  assert.throws(
    () => read(new SnapshotReader(b, 0, b.length, 'test')),
    (e: unknown) => e instanceof SnapshotError && e.code === code,
  );
}

test('integers, bigints and number slots read back exactly as written, in any mix', () => {
  const seed = testSeed('snapshot encoding');
  const value = fc.oneof(
    fc.record({ k: fc.constant('uint' as const), v: fc.oneof(fc.maxSafeNat(), fc.constantFrom(0, 63, 64, 127, 128, 2 ** 32 - 1, 2 ** 32, MAX)) }),
    fc.record({ k: fc.constant('int' as const), v: fc.oneof(fc.maxSafeInteger(), fc.constantFrom(-0, 0, -63, 63, 64, -64, MAX, -MAX, 2 ** 32, -(2 ** 32))) }),
    fc.record({ k: fc.constant('big' as const), v: fc.oneof(fc.bigInt(), fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), fc.constantFrom(2n ** 53n, -(2n ** 53n), 2n ** 53n - 1n, 0n)) }),
    fc.record({ k: fc.constant('str' as const), v: fc.string({ unit: 'grapheme' }) }),
    fc.record({ k: fc.constant('f64s' as const), v: fc.array(fc.integer(), { maxLength: 5 }) }),
  );
  fc.assert(
    fc.property(fc.array(value, { maxLength: 40 }), fc.nat(7), (values, lead) => {
      const w = new SnapshotWriter(8);
      for (let i = 0; i < lead; i++) w.u8(0);
      for (const x of values) {
        if (x.k === 'uint') w.uint(x.v);
        else if (x.k === 'int') w.int(x.v);
        else if (x.k === 'big') w.big(x.v);
        else if (x.k === 'str') w.str(x.v);
        else w.f64s(Float64Array.from(x.v));
      }
      const r = readerOf(w);
      for (let i = 0; i < lead; i++) r.u8();
      for (const x of values) {
        if (x.k === 'uint') assert.equal(r.uint(), x.v);
        else if (x.k === 'int') assert.ok(Object.is(r.int(), x.v), `int ${x.v}`);
        else if (x.k === 'big') assert.equal(r.big(), x.v);
        else if (x.k === 'str') assert.equal(r.str(), x.v);
        else assert.deepEqual([...r.f64s(x.v.length)], x.v);
      }
      r.done();
    }),
    { seed, numRuns: 300 },
  );
});

test('a number slot keeps −0 and a bigint past 2^53 stays a bigint', () => {
  const w = new SnapshotWriter();
  w.exact(-0);
  w.exact(2n ** 60n);
  w.exact(-(2n ** 53n));
  w.exact(12);
  const r = readerOf(w);
  assert.ok(Object.is(r.exact(), -0));
  assert.equal(r.exact(), 2n ** 60n);
  assert.equal(r.exact(), -(2n ** 53n));
  assert.equal(r.exact(), 12);
});

test('writing a value outside a field\'s range throws at the writer, never producing bytes a reader would misread', () => {
  const w = new SnapshotWriter();
  assert.throws(() => w.uint(-1), RangeError);
  assert.throws(() => w.uint(2 ** 53), RangeError);
  assert.throws(() => w.uint(1.5), RangeError);
  assert.throws(() => w.int(NaN), RangeError);
  assert.throws(() => w.int(-(2 ** 53)), RangeError);
});

test('finish hands a nearly full buffer over without a copy and copies a small result out of a large one', () => {
  const full = new SnapshotWriter(64);
  for (let i = 0; i < 60; i++) full.u8(i);
  const a = full.finish();
  assert.equal(a.length, 60);
  assert.equal(a.buffer.byteLength, 64);
  const sparse = new SnapshotWriter(1 << 20);
  sparse.uint(300);
  const b = sparse.finish();
  assert.deepEqual([...b], [0xac, 0x02]);
  assert.equal(b.buffer.byteLength, 2, 'a 2-byte result must not keep a megabyte alive');
});

test('an EncodeBuffer is written over from the start, grown when too small, and kept for the next writer', () => {
  const into = new EncodeBuffer();
  const w1 = new SnapshotWriter(64, into);
  for (let i = 0; i < 100; i++) w1.u8(i);
  const first = w1.finish();
  assert.equal(into.bytes!.buffer, first.buffer);
  assert.equal(first.length, 100);
  const kept = into.bytes!;
  kept.fill(0xff);
  const w2 = new SnapshotWriter(64, into);
  w2.uint(5);
  w2.align8();
  const second = w2.finish();
  assert.equal(second.buffer, kept.buffer, 'the kept buffer is reused, not a new one made');
  assert.deepEqual([...second], [5, 0, 0, 0, 0, 0, 0, 0]);
});

test('reading past the end is SNAPSHOT_TRUNCATED', () => {
  fails(Code.SNAPSHOT_TRUNCATED, (r) => r.uint(), []);
  fails(Code.SNAPSHOT_TRUNCATED, (r) => r.uint(), [0x80, 0x80]);
  fails(Code.SNAPSHOT_TRUNCATED, (r) => r.u32(), [1, 2, 3]);
  fails(Code.SNAPSHOT_TRUNCATED, (r) => r.f64s(2), [0, 0, 0, 0, 0, 0, 0, 0]);
  fails(Code.SNAPSHOT_TRUNCATED, (r) => r.str(), [5, 0x61]);
  fails(Code.SNAPSHOT_TRUNCATED, (r) => r.count(8), [3, 0, 0, 0, 0, 0, 0, 0]);
  fails(Code.SNAPSHOT_TRUNCATED, (r) => r.big(), [0x81, 0x00, 0, 9, 1]);
});

test('encodings no writer produces are SNAPSHOT_MALFORMED', () => {
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.uint(), [0x81, 0x00]); // a trailing zero group
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.uint(), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x10]); // past 2^53
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.uint(), [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]); // longer than 8 bytes
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.int(), [0x85, 0x00]); // continuation with nothing after
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.int(), [0x81, 0x00, 0, 1, 5]); // a bigint where a number belongs
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.big(), [0x81, 0x00, 0, 1, 5]); // a "bigint" that fits a number
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.big(), [0x81, 0x00, 0, 8, 0, 0, 0, 0, 0, 0, 0x40, 0]); // non-canonical length
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.big(), [0x81, 0x00, 2, 1, 5]); // sign byte 2
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.bool(), [2]);
  fails(Code.SNAPSHOT_MALFORMED, (r) => r.str(), [2, 0xc3, 0x28]); // not UTF-8
  fails(Code.SNAPSHOT_MALFORMED, (r) => (r.u8(), r.align8()), [1, 0, 0, 7, 0, 0, 0, 0]); // padding not zero
  fails(Code.SNAPSHOT_MALFORMED, (r) => (r.u8(), r.done()), [1, 2]); // bytes left over
});
