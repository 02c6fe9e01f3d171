// The store contract on the RocksDB binding: batches, ranges in byte order (forward, reverse, limited),
// range deletion, read-only handles beside a writer, and errors with stable codes instead of binding
// errors.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PersistenceError } from '../../persistence/errors.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import type { Store } from '../../persistence/store.js';
import { rocksOption } from '../support/rocksdb-options.js';

const k = (...b: number[]) => Uint8Array.from(b);
const text = (u: Uint8Array) => Buffer.from(u).toString();

async function withDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-store-'));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function keys(store: Store, range: Parameters<Store['scan']>[0]): Promise<number[][]> {
  const out: number[][] = [];
  for await (const e of store.scan(range)) out.push([...e.key]);
  return out;
}

test('a batch is written whole and read back by key and by range in byte order', () =>
  withDir(async (dir) => {
    const s = await RocksStore.open(dir, { createIfMissing: true });
    await s.write([3, 1, 2, 0x10].map((b) => ({ type: 'put' as const, key: k(0x4a, b), value: Buffer.from(`v${b}`) })), true);
    assert.equal(text((await s.get(k(0x4a, 2)))!), 'v2');
    assert.equal(await s.get(k(0x4a, 9)), undefined);
    assert.deepEqual(await keys(s, { gte: k(0x4a, 0), lt: k(0x4a, 0xff) }), [[0x4a, 1], [0x4a, 2], [0x4a, 3], [0x4a, 0x10]]);
    assert.deepEqual(await keys(s, { gte: k(0x4a, 0), lt: k(0x4a, 0xff), reverse: true, limit: 2 }), [[0x4a, 0x10], [0x4a, 3]]);
    assert.deepEqual(await keys(s, { gte: k(0x4a, 2), lt: k(0x4a, 3) }), [[0x4a, 2]]);
    await s.deleteRange({ gte: k(0x4a, 2), lt: k(0x4a, 0x10) }, true);
    assert.deepEqual(await keys(s, { gte: k(0x4a, 0), lt: k(0x4a, 0xff) }), [[0x4a, 1], [0x4a, 0x10]]);
    await s.write([{ type: 'del', key: k(0x4a, 1) }], true);
    assert.equal(await s.get(k(0x4a, 1)), undefined);
    await s.close();
  }));

test('a batch mixing puts and dels applies them in order, and a batch the binding refuses changes nothing', () =>
  withDir(async (dir) => {
    const s = await RocksStore.open(dir, { createIfMissing: true });
    // keys as plain Uint8Array views into a larger buffer (the gateway's pool slices), values as Buffers
    const pool = new Uint8Array(16);
    const view = (b: number) => (pool.set([0x4b, b], 8), new Uint8Array(pool.buffer, 8, 2));
    await s.write([{ type: 'put', key: view(1), value: Buffer.from('a') }, { type: 'put', key: k(0x4b, 2), value: Buffer.from('b') }, { type: 'del', key: k(0x4b, 1) }, { type: 'put', key: k(0x4b, 1), value: Buffer.from('c') }, { type: 'del', key: k(0x4b, 2) }], false);
    assert.equal(text((await s.get(k(0x4b, 1)))!), 'c');
    assert.equal(await s.get(k(0x4b, 2)), undefined);
    await assert.rejects(s.write([{ type: 'put', key: k(0x4b, 3), value: Buffer.from('d') }, { type: 'put', key: new Uint8Array(0), value: Buffer.from('e') }], false), (e: unknown) => e instanceof PersistenceError && e.code === Code.STORE_IO_FAILED);
    assert.equal(await s.get(k(0x4b, 3)), undefined);
    await s.close();
  }));

test('a writer opens with the write buffer asked for, else the binding default of 4 MiB', () =>
  withDir(async (dir) => {
    await (await RocksStore.open(join(dir, 'default'), { createIfMissing: true })).close();
    assert.equal(rocksOption(join(dir, 'default'), 'write_buffer_size'), String(4 << 20));
    await (await RocksStore.open(join(dir, 'big'), { createIfMissing: true, writeBufferBytes: 64 << 20 })).close();
    assert.equal(rocksOption(join(dir, 'big'), 'write_buffer_size'), String(64 << 20));
  }));

test('a read-only handle opened beside the writer sees the data as of its opening', () =>
  withDir(async (dir) => {
    const w = await RocksStore.open(dir, { createIfMissing: true });
    await w.write([{ type: 'put', key: k(1), value: k(1) }], true);
    const r = await RocksStore.open(dir, { readOnly: true });
    await w.write([{ type: 'put', key: k(2), value: k(2) }], true);
    assert.deepEqual(await keys(r, { gte: k(0), lt: k(9) }), [[1]]);
    await assert.rejects(r.write([{ type: 'put', key: k(3), value: k(3) }], true), (e: PersistenceError) => e.code === Code.STORE_IO_FAILED);
    await r.close();
    await w.close();
  }));

test('a missing directory, a locked one and a foreign one are errors with codes, not binding errors', () =>
  withDir(async (dir) => {
    await assert.rejects(RocksStore.open(join(dir, 'nothing-here')), (e: PersistenceError) => e instanceof PersistenceError && e.code === Code.DATA_DIR_MISSING);
    const w = await RocksStore.open(join(dir, 'db'), { createIfMissing: true });
    await assert.rejects(RocksStore.open(join(dir, 'db')), (e: PersistenceError) => e instanceof PersistenceError && e.code === Code.STORE_UNAVAILABLE && /lock/i.test(e.message));
    await w.close();
    writeFileSync(join(dir, 'CURRENT'), 'not rocksdb\n');
    await assert.rejects(RocksStore.open(dir), (e: PersistenceError) => e instanceof PersistenceError && e.code === Code.STORE_UNAVAILABLE);
  }));

test('a scan left early (break, or a throw in its loop) ends its iterator with the read ahead in flight: the store closes and scans again', () =>
  withDir(async (dir) => {
    const s = await RocksStore.open(dir, { createIfMissing: true });
    await s.write(Array.from({ length: 50 }, (_, i) => ({ type: 'put' as const, key: k(0x4c, i), value: Buffer.alloc(64 << 10, i) })), true);
    const seen: number[] = [];
    for await (const e of s.scan({ gte: k(0x4c, 0), lt: k(0x4c, 0xff) })) {
      seen.push(e.key[1]!);
      assert.equal(e.value[100], e.key[1], 'each value is its own entry, not the one read ahead');
      if (seen.length === 3) break;
    }
    assert.deepEqual(seen, [0, 1, 2]);
    await assert.rejects(
      (async () => {
        for await (const e of s.scan({ gte: k(0x4c, 0), lt: k(0x4c, 0xff) })) if (e.key[1] === 7) throw new Error('stop here');
      })(),
      /stop here/,
    );
    assert.equal((await keys(s, { gte: k(0x4c, 0), lt: k(0x4c, 0xff) })).length, 50);
    assert.deepEqual(await keys(s, { gte: k(0x4c, 0), lt: k(0x4c, 0xff), reverse: true, limit: 1 }), [[0x4c, 49]]);
    await s.close();
  }));
