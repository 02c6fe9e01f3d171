// FrameArena: user-stream frames cut from shared chunks. A frame handed out is never changed by later
// ones (a frame queued on a socket stays valid), chunks grow from MIN_CHUNK to MAX_CHUNK, and a frame
// larger than MAX_CHUNK gets its own bytes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameArena, MAX_CHUNK, MIN_CHUNK } from '../../gateway/views/frame-arena.js';
import { FrameCodec } from '../../gateway/protocol/codec.js';

test('frames share a chunk and later frames never overwrite earlier ones', () => {
  const arena = new FrameArena();
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 500; i++) {
    const f = arena.alloc(100);
    assert.equal(f.byteLength, 100);
    f.fill(i & 0xff);
    frames.push(f);
  }
  frames.forEach((f, i) => assert.ok(f.every((x) => x === (i & 0xff)), `frame ${i} kept its bytes`));
  // 50,000 bytes in far fewer ArrayBuffers than frames
  const buffers = new Set(frames.map((f) => f.buffer));
  assert.ok(buffers.size < 10, `${buffers.size} chunks`);
  const sizes = [...buffers].map((b) => b.byteLength);
  assert.equal(sizes[0], MIN_CHUNK);
  assert.ok(sizes.every((s) => s >= MIN_CHUNK && s <= MAX_CHUNK));
  assert.equal(Math.max(...sizes), MAX_CHUNK);
});

test('a frame larger than the biggest chunk gets bytes of its own; a mid-size one a chunk that fits it', () => {
  const arena = new FrameArena();
  const huge = arena.alloc(MAX_CHUNK + 1);
  assert.equal(huge.byteLength, MAX_CHUNK + 1);
  assert.equal(huge.buffer.byteLength, MAX_CHUNK + 1);
  const mid = arena.alloc(3 * MIN_CHUNK);
  assert.equal(mid.byteLength, 3 * MIN_CHUNK);
  assert.ok(mid.buffer.byteLength >= 3 * MIN_CHUNK && mid.buffer.byteLength <= MAX_CHUNK);
});

test('user frames encoded into the arena decode to what was published', () => {
  const codec = new FrameCodec();
  const arena = new FrameArena();
  const a = codec.encodeJoined({ t: 'user', seq: 1 }, { status: 'open' }, arena.alloc);
  const b = codec.encodeJoined({ t: 'user', seq: 2 }, { status: 'expired' }, arena.alloc);
  assert.equal(a.buffer, b.buffer);
  assert.deepEqual(codec.decode(a), { t: 'user', seq: 1, status: 'open' });
  assert.deepEqual(codec.decode(b), { t: 'user', seq: 2, status: 'expired' });
});
