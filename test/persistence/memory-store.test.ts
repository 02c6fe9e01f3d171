// MemoryStore keeps copies: what a caller does to the bytes it wrote, or to the bytes get() gave it, never
// changes what the store holds. Buffers included, whose slice() is a view rather than a copy (the
// gateway's idempotency keys and values are Buffers from Node's pool).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore } from '../../persistence/memory-store.js';

test('a written Buffer, changed afterwards, leaves the stored key and value as they were', async () => {
  const s = new MemoryStore();
  const key = Buffer.from([1, 2, 3]);
  const value = Buffer.from([9, 9, 9, 9]);
  await s.write([{ type: 'put', key, value }], false);
  value.fill(0);
  key.fill(7);
  assert.deepEqual([...((await s.get(Uint8Array.of(1, 2, 3))) ?? [])], [9, 9, 9, 9]);
  const entries = [];
  for await (const e of s.scan({ gte: Uint8Array.of(0), lt: Uint8Array.of(255) })) entries.push([...e.key]);
  assert.deepEqual(entries, [[1, 2, 3]]);
});

test('a value get() returned, changed by its caller, leaves the store as it was', async () => {
  const s = new MemoryStore();
  await s.write([{ type: 'put', key: Buffer.from([5]), value: Buffer.from([1, 2]) }], false);
  const v = (await s.get(Uint8Array.of(5)))!;
  v.fill(0);
  assert.deepEqual([...((await s.get(Uint8Array.of(5))) ?? [])], [1, 2]);
  assert.equal(await s.get(Uint8Array.of(6)), undefined);
});

test('scan follows byte order (a prefix first, 0xff last), reversed and limited; deleteRange takes [gte, lt)', async () => {
  const s = new MemoryStore();
  const keys = [[2], [1, 0xff], [1], [1, 0], [0xff, 0], [0x10]];
  await s.write(keys.map((k) => ({ type: 'put' as const, key: Uint8Array.from(k), value: Uint8Array.of(k.length) })), false);
  const scan = async (range: Parameters<MemoryStore['scan']>[0]) => {
    const out: number[][] = [];
    for await (const e of s.scan(range)) out.push([...e.key]);
    return out;
  };
  assert.deepEqual(await scan({ gte: Uint8Array.of(0), lt: Uint8Array.of(0xff, 0xff) }), [[1], [1, 0], [1, 0xff], [2], [0x10], [0xff, 0]]);
  assert.deepEqual(await scan({ gte: Uint8Array.of(1), lt: Uint8Array.of(2), reverse: true, limit: 2 }), [[1, 0xff], [1, 0]]);
  await s.deleteRange({ gte: Uint8Array.of(1, 0), lt: Uint8Array.of(0x10) }, false);
  assert.deepEqual(await scan({ gte: Uint8Array.of(0), lt: Uint8Array.of(0xff, 0xff) }), [[1], [0x10], [0xff, 0]]);
});

test('keys as views and around 0x80 keep byte order (a key is held as one character per byte)', async () => {
  const s = new MemoryStore();
  const backing = Uint8Array.of(9, 0x80, 0, 9, 0x7f, 0xff, 9);
  const keys = [backing.subarray(1, 3), backing.subarray(4, 6), Uint8Array.of(0x80), Buffer.from([0x81]), Uint8Array.of(0x7f)];
  await s.write(keys.map((key, i) => ({ type: 'put' as const, key, value: Uint8Array.of(i) })), false);
  const out: number[][] = [];
  for await (const e of s.scan({ gte: Uint8Array.of(0), lt: Uint8Array.of(0xff) })) out.push([...e.key, ...e.value]);
  assert.deepEqual(out, [[0x7f, 4], [0x7f, 0xff, 1], [0x80, 2], [0x80, 0, 0], [0x81, 3]]);
  assert.deepEqual([...((await s.get(Buffer.from([0x7f, 0xff]))) ?? [])], [1]);
});
