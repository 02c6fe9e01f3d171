// The gateway's frame encoding writes exactly the bytes @msgpack/msgpack's own Encoder writes:
// FrameWriter (protocol/frame-writer.ts: maps, arrays, integers and cached short strings written by hand,
// anything else by the library) and FrameCodec.encodeJoined() (head and body as one map, without building
// the merged object). Compared byte for byte with a plain Encoder, on fixed values and on random ones.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { Encoder } from '@msgpack/msgpack';
import { FrameCodec } from '../../gateway/protocol/codec.js';
import { ENCODER_OPTIONS, FrameWriter, MAX_ENTRIES, MAX_LENGTH } from '../../gateway/protocol/frame-writer.js';
import { rng, testSeed } from '../support/seed.js';

const plain = new Encoder(ENCODER_OPTIONS);

class Point {
  constructor(readonly x: number) {}
}

const samples: unknown[] = [
  { t: 'res', id: 7, ok: true, data: { orderId: 12, side: 'buy', type: 'limit', tif: 'ioc', replayed: false } },
  { s: '', two: 'é', three: '€uro', four: '😀 emoji', long: 'x'.repeat(MAX_LENGTH + 1), nested: [['buy', 'sell'], { buy: 'buy' }] },
  { big: -(2n ** 63n), n: -1, f: undefined, list: ['open', 'open', 'open'] },
  // every integer width either side of its edges, floats, -0, NaN, ±Infinity, past 2^32 and 2^53
  [0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53), 0.5, -0, NaN, Infinity, -Infinity],
  [0n, 2n ** 64n - 1n, -1n, null, undefined, true, false],
  { bin: Uint8Array.of(1, 2, 3), big: new Uint8Array(300), view: new Uint16Array([1, 2]), when: new Date(0), point: new Point(3), none: Object.create(null) as object },
  { lone: '\ud800 lone surrogate', wide: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, { inner: Array.from({ length: 17 }, (_, j) => j) }])) },
  'x'.repeat(40_000),
  Array.from({ length: 70_000 }, (_, i) => i % 3),
];

test('the writer writes the same bytes as the library, the first time and from its cache', () => {
  const w = new FrameWriter();
  for (let round = 0; round < 3; round++) for (const v of samples) assert.deepEqual(w.encodeSharedRef(v), plain.encode(v));
});

test('the string cache stops learning at MAX_ENTRIES and still encodes new strings correctly', () => {
  const w = new FrameWriter();
  for (let i = 0; i < MAX_ENTRIES + 100; i++) {
    const v = { [`k${i}`]: `v${i}` };
    assert.deepEqual(w.encodeSharedRef(v), plain.encode(v));
  }
  assert.deepEqual(w.encodeSharedRef({ k0: 'v0', late: 'k99999' }), plain.encode({ k0: 'v0', late: 'k99999' }));
});

/** A random value of the kinds frames carry, nested up to `depth`. */
function randomValue(r: () => number, depth: number): unknown {
  const pick = r() % (depth > 0 ? 9 : 7);
  switch (pick) {
    case 0:
      return (r() % 2 === 0 ? 1 : -1) * Math.floor(2 ** (r() % 54) * (r() / 2 ** 32));
    case 1:
      return (r() - 2 ** 31) / 7;
    case 2:
      return ['buy', 'sell', 'open', '', 'é€😀', 'y'.repeat(r() % 40), `s${r() % 100}`][r() % 7];
    case 3:
      return r() % 2 === 0;
    case 4:
      return [null, undefined][r() % 2];
    case 5:
      return BigInt(r()) * BigInt(r()) * (r() % 2 === 0 ? 1n : -1n);
    case 6:
      return Uint8Array.from({ length: r() % 5 }, () => r() % 256);
    case 7:
      return Array.from({ length: r() % 20 }, () => randomValue(r, depth - 1));
    default:
      return Object.fromEntries(Array.from({ length: r() % 20 }, (_, i) => [`f${i}`, randomValue(r, depth - 1)]));
  }
}

test('the writer and encodeJoined match the library on random values', () => {
  const seed = randomInt(2 ** 31);
  console.log(`frame-encoding seed ${seed}`);
  let s = seed;
  // xorshift32: reproducible from the printed seed
  const r = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  const w = new FrameWriter();
  const codec = new FrameCodec();
  for (let i = 0; i < 2_000; i++) {
    const v = randomValue(r, 3);
    assert.deepEqual(w.encodeSharedRef(v), plain.encode(v), `seed ${seed}, value ${i}`);
    const head = { t: 'user', seq: i };
    const body = Object.fromEntries(Array.from({ length: r() % 20 }, (_, j) => [`b${j}`, randomValue(r, 2)]));
    assert.deepEqual(codec.encodeJoined(head, body), plain.encode({ ...head, ...body }), `seed ${seed}, joined ${i}`);
  }
});

test('encodeJoined is the merged object encoded, fixmap and map 16 alike', () => {
  const codec = new FrameCodec();
  const head = { t: 'user', epoch: 1_700_000_000_000_000, seq: 3, kind: 'order' };
  const small = { orderId: 9, status: 'open', endReason: undefined };
  assert.deepEqual(codec.encodeJoined(head, small), plain.encode({ ...head, ...small }));
  // 4 + 12 entries: past a fixmap's 15
  const wide = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, i * 1000]));
  assert.deepEqual(codec.encodeJoined(head, wide), plain.encode({ ...head, ...wide }));
  // a body that is itself a map 16
  const wider = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`g${i}`, `v${i}`]));
  assert.deepEqual(codec.encodeJoined(head, wider), plain.encode({ ...head, ...wider }));
  assert.deepEqual(codec.decode(codec.encodeJoined(head, {})), head);
});

test('encodeJoined frames have an ArrayBuffer of their own (kept in the replay ring)', () => {
  const codec = new FrameCodec();
  const a = codec.encodeJoined({ t: 'user' }, { x: 1 });
  const b = codec.encodeJoined({ t: 'user' }, { x: 2 });
  assert.notEqual(a.buffer, b.buffer);
  assert.equal(a.byteLength, a.buffer.byteLength);
  assert.deepEqual(codec.decode(a), { t: 'user', x: 1 });
});

test("a writer built with the library's default options writes the default Encoder's bytes (idempotency records)", () => {
  const lib = new Encoder();
  const w = new FrameWriter({});
  /** Same bytes, or both refuse (bigint without useBigInt64). */
  const same = (v: unknown, what: string) => {
    let want: Uint8Array | undefined;
    try {
      want = lib.encode(v);
    } catch {
      assert.throws(() => w.encodeSharedRef(v), what);
      return;
    }
    assert.deepEqual(w.encodeSharedRef(v), want, what);
  };
  for (const v of samples) same(v, 'sample');
  // the records themselves: [orderId, seq] and [orderId, seq, ok, code, market, price, qty, trigger, acceptedUs]
  same([2 ** 40 + 3, 7], 'reservation');
  same([12, 7, 1, 0, 1, 590_000, 1, 0, 1_765_000_000_123_456], 'accepted');
  same([12, 7, 0, 3004], 'refused');
  same({ f: undefined, g: [undefined, null] }, 'undefined kept');
  const seed = testSeed('frame-encoding, default options');
  const r = rng(seed);
  for (let i = 0; i < 2_000; i++) same(randomValue(r, 3), `seed ${seed}, value ${i}`);
  for (let i = 0; i < 2_000; i++) {
    const n = (r() % 2 === 0 ? 1 : -1) * Math.floor(2 ** (r() % 54) * (r() / 2 ** 32));
    same([n, n + 1, n - 1], `seed ${seed}, integer ${n}`);
  }
});
