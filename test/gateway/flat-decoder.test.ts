// The flat decoder (protocol/flat-decoder.ts) reads the usual request frame without the library: whenever
// it returns an object, that object is exactly what @msgpack/msgpack's Decoder (the codec's options and
// limits) returns for the frame, prototypes of binaries included; whatever it does not read it leaves to
// the library (undefined). Compared on fixed frames, on random flat maps and on random corruptions of
// them; the cache of short strings never changes a result, also when the frame's bytes change afterwards.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decoder, encode } from '@msgpack/msgpack';
import { DEFAULT_DECODER_LIMITS, FrameCodec, type DecoderLimits } from '../../gateway/protocol/codec.js';
import { FlatDecoder } from '../../gateway/protocol/flat-decoder.js';
import { rng, testSeed } from '../support/seed.js';

const library = (limits: DecoderLimits) =>
  new Decoder({ useBigInt64: true, maxStrLength: limits.maxStrLength, maxBinLength: limits.maxBinLength, maxArrayLength: limits.maxArrayLength, maxMapLength: limits.maxMapLength, maxExtLength: 0 });

/** The flat decoder's answer agrees with the library's: the same value, or undefined (then anything). */
function agrees(flat: FlatDecoder, lib: Decoder, frame: Uint8Array, what: string): boolean {
  const v = flat.decode(frame);
  if (v === undefined) return false;
  let want: unknown;
  assert.doesNotThrow(() => (want = lib.decode(frame)), `${what}: the library refuses what the flat decoder read`);
  assert.deepStrictEqual(v, want, what);
  return true;
}

const big = (v: unknown) => encode(v, { useBigInt64: true });

const fixed: [string, Uint8Array, boolean][] = [
  ['a place', big({ op: 'place', id: 7, market: 1, side: 'buy', type: 'limit', tif: 'ioc', price: 590_000, qty: 1, clientOrderId: 12 }), true],
  ['a signed place', big({ op: 'place', id: 5, market: 1, side: 'sell', type: 'market', qty: 3, ts: 1_796_000_000_000_000n, nonce: 'a1b2c3d4e5f6a1b2c3d4e5f6', sig: new Uint8Array(64).fill(7) }), true],
  ['every integer width', big({ a: 0, b: 127, c: 128, d: 255, e: 256, f: 65535, g: 65536, h: 2 ** 32 - 1, i: -1, j: -32, k: -33, l: -128, m: -129, n: -32768, o: -32769 }), true],
  ['64-bit integers', big({ a: 2n ** 64n - 1n, b: -(2n ** 63n), c: 2n ** 32n, d: -1n, e: 0n }), true],
  ['nil, booleans, empty and numeric-looking strings', big({ a: null, b: true, c: false, d: '', e: '5', 7: 'seven' }), true],
  ['a repeated key (the last value, the first place)', Uint8Array.from([0x82, 0xa1, 0x61, 0x01, 0xa1, 0x61, 0x02]), true],
  ['floats, and an integer past 32 bits as a client writes it', big({ op: 'place', price: 0.5, id: 2 ** 40, ts: 1_796_000_000_000_000, n: NaN, z: -0, f: Math.fround(1.5) }), true],
  ['a float 32', Uint8Array.from([0x81, 0xa1, 0x66, 0xca, 0x3f, 0xc0, 0x00, 0x00]), true],
  ['a batch (an array of maps)', big({ op: 'batchPlace', id: 3, orders: [{ market: 1, side: 'buy', qty: 1 }, { market: 1, side: 'sell', qty: 2, reduceOnly: true }] }), true],
  ['a response with its data (a nested map), empty maps and arrays', big({ t: 'res', id: 9, rx: 1_796_000_000_000_000, ok: true, data: { orderId: 4, replayed: false, results: [], e: {} } }), true],
  ['twenty items (an array 16) of sixteen entries (a map 16)', big({ a: Array.from({ length: 20 }, (_, i) => Object.fromEntries(Array.from({ length: 16 }, (_, j) => [`k${j}`, i * j]))) }), true],
  ['nested as deep as the limit (4)', big({ a: [{ b: [1] }] }), true],
  ['nested deeper than the limit', big({ a: [{ b: [[1]] }] }), false],
  ['a nested map with a non-string key', Uint8Array.from([0x81, 0xa1, 0x61, 0x81, 0x01, 0x02]), false],
  ['a truncated array', Uint8Array.from([0x81, 0xa1, 0x61, 0x92, 0x01]), false],
  ['a non-ASCII string', big({ op: 'ping', x: 'é' }), false],
  ['a __proto__ key', Uint8Array.from([0x81, ...encode('__proto__'), 0x01]), false],
  ['trailing bytes', Uint8Array.from([...big({ op: 'ping', id: 1 }), 0x00]), false],
  ['a truncated frame', big({ op: 'ping', id: 70_000 }).subarray(0, 12), false],
  ['an empty map', Uint8Array.of(0x80), false],
  ['sixteen entries (a map 16)', big(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))), true],
  ['an empty map 16', Uint8Array.of(0xde, 0x00, 0x00), false],
  ['a long string (str 8)', big({ op: 'ping', x: 'y'.repeat(40) }), false],
  ['an extension type', Uint8Array.from([0x81, ...encode('op'), 0xd4, 0x05, 0x01]), false],
  ['not a map', big([1, 2]), false],
];

test('fixed frames: read exactly as the library reads them, or left to it', () => {
  const flat = new FlatDecoder(DEFAULT_DECODER_LIMITS);
  const lib = library(DEFAULT_DECODER_LIMITS);
  for (let round = 0; round < 2; round++) for (const [what, frame, read] of fixed) assert.equal(agrees(flat, lib, frame, what), read, what);
});

test('the limits: a string, binary or map past them is left to the library (which refuses it)', () => {
  const limits = { ...DEFAULT_DECODER_LIMITS, maxStrLength: 4, maxBinLength: 3, maxMapLength: 2 };
  const flat = new FlatDecoder(limits);
  const lib = library(limits);
  assert.equal(agrees(flat, lib, big({ a: 'abcd', b: Uint8Array.of(1, 2, 3) }), 'at the limits'), true);
  for (const v of [{ a: 'abcde' }, { abcde: 1 }, { a: Uint8Array.of(1, 2, 3, 4) }, { a: 1, b: 2, c: 3 }]) {
    assert.equal(flat.decode(big(v)), undefined, JSON.stringify(Object.keys(v)));
    assert.throws(() => lib.decode(big(v)));
  }
  assert.equal(new FlatDecoder({ ...DEFAULT_DECODER_LIMITS, maxDepth: 0 }).decode(big({ a: 1 })), undefined, 'no depth allowed: left to the codec');
  const nested = { ...DEFAULT_DECODER_LIMITS, maxArrayLength: 2, maxMapLength: 2 };
  for (const v of [{ a: [1, 2, 3] }, { a: { b: 1, c: 2, d: 3 } }]) {
    assert.equal(new FlatDecoder(nested).decode(big(v)), undefined, JSON.stringify(v));
    assert.throws(() => library(nested).decode(big(v)));
  }
  assert.throws(() => new FrameCodec().decode(big({ a: [{ b: [[1]] }] })), /nested deeper than 4/, 'left to the library, refused by the codec');
});

test('a cached string stays right when the frame it came from is reused, and colliding strings stay apart', () => {
  const flat = new FlatDecoder(DEFAULT_DECODER_LIMITS);
  const frame = Buffer.from(big({ side: 'buy' }));
  assert.deepEqual(flat.decode(frame), { side: 'buy' });
  frame.set(big({ side: 'bux' }));
  assert.deepEqual(flat.decode(frame), { side: 'bux' });
  assert.deepEqual(flat.decode(big({ side: 'buy' })), { side: 'buy' });
  // far more distinct strings than slots: every one still decodes to itself
  for (let i = 0; i < 5_000; i++) assert.deepEqual(flat.decode(big({ [`k${i % 700}`]: `v${i}` })), { [`k${i % 700}`]: `v${i}` });
  const codec = new FrameCodec();
  assert.deepEqual(codec.decode(big({ op: 'ping', id: 3 })), { op: 'ping', id: 3 });
});

test('random flat maps and random corruptions of them agree with the library', () => {
  const seed = testSeed('flat-decoder');
  const r = rng(seed);
  const value = (): unknown => {
    switch (r() % 10) {
      case 0:
        return (r() % 2 === 0 ? 1 : -1) * Math.floor(2 ** (r() % 54) * (r() / 2 ** 32));
      case 1:
        return BigInt(r()) * BigInt(r()) * (r() % 2 === 0 ? 1n : -1n);
      case 2:
        return ['buy', 'sell', 'limit', 'ioc', '', 'é', 'z'.repeat(r() % 40), `s${r() % 50}`][r() % 8];
      case 3:
        return r() % 2 === 0;
      case 4:
        return null;
      case 5:
        return Uint8Array.from({ length: r() % 80 }, () => r() % 256);
      case 6:
        return (r() - 2 ** 31) / 8;
      case 7:
        return [r() % 5];
      case 8:
        // a nested map or array, at most two more levels (past the limit of 4 now and then)
        return r() % 2 === 0 ? { o: value(), [`k${r() % 30}`]: r() % 3 === 0 ? [value(), value()] : value() } : Array.from({ length: r() % 4 }, () => (r() % 3 === 0 ? value() : r() % 100));
      default:
        return r() % 128;
    }
  };
  const flat = new FlatDecoder(DEFAULT_DECODER_LIMITS);
  const lib = library(DEFAULT_DECODER_LIMITS);
  let read = 0;
  for (let i = 0; i < 5_000; i++) {
    const m = Object.fromEntries(Array.from({ length: 1 + (r() % 15) }, () => [['op', 'id', 'market', 'qty', 'price', 'side', 'x', `k${r() % 30}`, 'é'][r() % 9]!, value()]));
    const frame = big(m);
    if (agrees(flat, lib, frame, `seed ${seed}, map ${i}`)) read++;
    const bad = Uint8Array.from(frame);
    for (let j = 1 + (r() % 3); j > 0; j--) bad[r() % bad.length] = r() % 256;
    agrees(flat, lib, bad, `seed ${seed}, corrupted ${i}`);
    agrees(flat, lib, frame.subarray(0, r() % frame.length), `seed ${seed}, truncated ${i}`);
  }
  assert.ok(read > 500, `the flat decoder read ${read} of 5,000 maps`);
});
