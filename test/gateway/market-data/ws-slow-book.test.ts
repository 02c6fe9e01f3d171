// A book subscriber whose connection is backed up gets no diffs (they would only deepen the backlog);
// once its buffer drains below half the threshold, the next diff is replaced by a fresh snapshot, and
// diffs follow it. Other subscribers are not affected.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { BookLevelChangedLayout } from '../../../engine/ring/layouts/book-level-changed.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import type { Listener } from '../../../exchange/threaded-exchange.js';
import { mountMarketData } from '../../../gateway/market-data/ws-channels.js';
import { DEFAULT_DECODER_LIMITS, FrameCodec } from '../../../gateway/protocol/codec.js';
import { ChannelRegistry, type Subscriber } from '../../../gateway/server/channels.js';
import { MarketRegistry } from '../../../gateway/markets/market-registry.js';

test('a backed-up book subscriber skips diffs, then gets a fresh snapshot; a fast one gets every diff', () => {
  const codec = new FrameCodec(DEFAULT_DECODER_LIMITS);
  const channels = new ChannelRegistry();
  let listener: Listener | undefined;
  const hub = mountMarketData({ channels, codec, markets: new MarketRegistry([DEFAULT_MARKETS[0]!]), addListener: (l) => ((listener = typeof l === 'function' ? l : l.onRecord.bind(l)), () => {}) }, { slowBytes: 1_000 });
  const subscriber = (id: number) => {
    const frames: Record<string, unknown>[] = [];
    const s = { id, bufferedBytes: 0, send: (f: Uint8Array) => frames.push(codec.decode(f) as Record<string, unknown>) > 0 };
    return { s: s as Subscriber & { bufferedBytes: number }, frames };
  };
  const slow = subscriber(1);
  const fast = subscriber(2);
  assert.equal(channels.subscribe('book', slow.s, 1, new Set([1])), 0);
  assert.equal(channels.subscribe('book', fast.s, 1, new Set([1])), 0);
  const buf = RecordBuffer.allocate(1);
  const level = (price: number, qty: number) => {
    encodeRecord(buf, 0, BookLevelChangedLayout, { marketId: 1, timeUs: 1 }, { side: Side.BUY, priceTicks: price, levelQtyLots: qty, orderCount: qty > 0 ? 1 : 0 });
    listener!(buf, 0, { kind: 'market', shard: 0 });
    hub.flush();
  };
  level(100, 1);
  slow.s.bufferedBytes = 5_000;
  level(101, 1);
  level(102, 1);
  slow.s.bufferedBytes = 800;
  level(103, 1);
  slow.s.bufferedBytes = 100;
  level(104, 1);
  level(105, 1);
  const shape = (f: Record<string, unknown>) => [f['type'], f['seq']];
  assert.deepEqual(fast.frames.map(shape), [['snapshot', 0], ['diff', 1], ['diff', 2], ['diff', 3], ['diff', 4], ['diff', 5], ['diff', 6]]);
  assert.deepEqual(slow.frames.map(shape), [['snapshot', 0], ['diff', 1], ['snapshot', 5], ['diff', 6]], 'diffs 2-4 skipped while backed up; snapshot 5 instead of diff 5');
  const last = slow.frames[2]!;
  assert.deepEqual(last['bids'], [[104, 1, 1], [103, 1, 1], [102, 1, 1], [101, 1, 1], [100, 1, 1]]);
  assert.deepEqual([last['t'], last['market'], last['symbol']], ['md', 1, 'BTC-PERP']);
});
