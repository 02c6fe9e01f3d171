// The gateway's faster frame encoding writes exactly the bytes @msgpack/msgpack's own Encoder writes:
// withCachedStrings() (a string's bytes copied from a cache) and FrameCodec.encodeJoined() (head and body
// as one map, without building the merged object). Compared byte for byte with a plain Encoder.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Encoder } from '@msgpack/msgpack';
import { MAX_ENTRIES, MAX_LENGTH, withCachedStrings } from '../../gateway/protocol/cached-strings.js';
import { FrameCodec } from '../../gateway/protocol/codec.js';

const options = { useBigInt64: true, ignoreUndefined: true } as const;
const plain = new Encoder(options);

const samples: unknown[] = [
  { t: 'res', id: 7, ok: true, data: { orderId: 12, side: 'buy', type: 'limit', tif: 'ioc', replayed: false } },
  { s: '', two: 'é', three: '€uro', four: '😀 emoji', long: 'x'.repeat(MAX_LENGTH + 1), nested: [['buy', 'sell'], { buy: 'buy' }] },
  { big: -(2n ** 63n), n: -1, f: undefined, list: ['open', 'open', 'open'] },
];

test('a caching encoder writes the same bytes as the library, the first time and from its cache', () => {
  const cached = withCachedStrings(new Encoder(options));
  for (let round = 0; round < 3; round++) for (const v of samples) assert.deepEqual(cached.encode(v), plain.encode(v));
});

test('the cache stops learning at MAX_ENTRIES and still encodes new strings correctly', () => {
  const cached = withCachedStrings(new Encoder(options));
  for (let i = 0; i < MAX_ENTRIES + 100; i++) {
    const v = { [`k${i}`]: `v${i}` };
    assert.deepEqual(cached.encode(v), plain.encode(v));
  }
  assert.deepEqual(cached.encode({ k0: 'v0', late: 'k99999' }), plain.encode({ k0: 'v0', late: 'k99999' }));
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
