// A replay that follows a read still in progress (replay-feed.ts): the replaying side handles exactly the
// records published so far, in order, flushing before it waits for more; it finishes once the whole log is
// in, and gives up (never reporting the replay done) when its shard is asked to stop meanwhile, which is
// how a journal read that fails after the shards began replaying ends the start.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { Park } from '../../../engine/ring/park.js';
import { RECORD_BYTES, RecordBuffer } from '../../../engine/ring/record.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { InputStamp } from '../../../engine/shard/input-stamp.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { MarketShardHost } from '../../../engine/shard/market-shard-host.js';
import { ReplayFeed } from '../../../engine/shard/replay-feed.js';
import { replayRecords } from '../../../engine/shard/replay.js';
import type { ShardReplayData } from '../../../engine/shard/worker-journal.js';
import { encodeStream, place, type Cmd } from '../../support/commands.js';
import { rng, testSeed } from '../../support/seed.js';

test('a replay handles exactly what was published, in order, flushing before each wait for more', () => {
  const events: string[] = [];
  let handled = 0;
  const handler = { handle: () => void (handled++, events.push(`h${handled}`)), flush: () => void events.push('flush'), eventCount: 0, duplicates: 0 };
  // The reader publishes 3, then 5, then 7 records (all), each time the replay asks for more.
  const steps = [3, 5, 7];
  const asked: number[] = [];
  const waitFor = (count: number) => (asked.push(count), steps.shift()!);
  const end = replayRecords(handler, new InputStamp(), { records: RecordBuffer.allocate(7), inputs: new Uint16Array(7), count: 7, firstPosition: 100, waitFor }, 256);
  assert.equal(end, 107);
  assert.deepEqual(asked, [1, 4, 6], 'asks for one more record than it has each time');
  assert.deepEqual(events, ['flush', 'h1', 'h2', 'h3', 'flush', 'h4', 'h5', 'flush', 'h6', 'h7', 'flush']);
});

test('a replay told to stop while it waits handles nothing more and returns -1', () => {
  let handled = 0;
  const handler = { handle: () => void handled++, flush: () => {}, eventCount: 0, duplicates: 0 };
  const steps = [4, -1];
  const end = replayRecords(handler, new InputStamp(), { records: RecordBuffer.allocate(9), inputs: new Uint16Array(9), count: 9, firstPosition: 0, waitFor: () => steps.shift()! }, 256);
  assert.equal(end, -1);
  assert.equal(handled, 4);
});

test('the feed waits until enough is published, and gives up once its shard is to stop', () => {
  const feed = ReplayFeed.create();
  feed.publish(10);
  assert.equal(feed.waitFor(5, () => true, new Park(1)), 10, 'enough already: returns at once with what is in');
  let turns = 0;
  // Nothing more comes: each park times out (1 ms); the shard is asked to stop on the third look.
  assert.equal(
    feed.waitFor(11, () => ++turns < 3, new Park(1)),
    -1,
  );
  assert.ok(turns >= 3);
});

function orders(seed: number, n: number): Cmd[] {
  const next = rng(seed);
  return Array.from({ length: n }, (_, i) => place({ orderId: i + 1, accountId: (next() % 8) + 1, side: next() % 2 === 0 ? Side.BUY : Side.SELL, priceTicks: 600_000 + (next() % 41) - 20, qtyLots: (next() % 20) + 1 }));
}

/** A log of `cmds` as a reader would hand it to a worker: shared buffers, and a feed nothing is published on yet. */
function streamedLog(cmds: readonly Cmd[]): { replay: ShardReplayData; feed: ReplayFeed } {
  const input = encodeStream(cmds);
  const records = new SharedArrayBuffer(cmds.length * RECORD_BYTES);
  new Uint8Array(records).set(input.u8.subarray(0, cmds.length * RECORD_BYTES));
  const feed = ReplayFeed.create();
  return { feed, replay: { records, inputs: new SharedArrayBuffer(cmds.length * 2), count: cmds.length, firstPosition: 0, deliverFrom: [Infinity], feed: feed.sab } };
}

/** Resolves once the worker's replayed counter reads `n` (it publishes it before each wait for more). */
async function replayedTo(host: MarketShardHost, n: number): Promise<void> {
  while (host.stats().replayed !== n) await new Promise((r) => setTimeout(r, 2));
}

test('a shard worker replays its log as it is published and reports replayed once all of it is in, in the state a whole replay reaches', async () => {
  const cmds = orders(testSeed('streamed replay'), 3_000);
  const reference = new MarketShard([DEFAULT_MARKETS[0]!], new MemoryOutput(), []);
  const all = encodeStream(cmds);
  for (let i = 0; i < cmds.length; i++) reference.handle(all, all.at(i), 0);

  const { replay, feed } = streamedLog(cmds);
  feed.publish(1_000);
  const host = await MarketShardHost.start({ shardId: 0, markets: [DEFAULT_MARKETS[0]!], inputs: 1, gatewayBell: Doorbell.create(), riskBells: [], wait: 'park', replay });
  try {
    let replayed = false;
    void host.replayed().then(() => (replayed = true));
    await replayedTo(host, 1_000);
    feed.publish(2_200);
    await replayedTo(host, 2_200);
    assert.equal(replayed, false, 'not replayed while part of the log is still being read');
    feed.publish(3_000);
    await host.replayed();
    const { stateHash } = await host.stop();
    assert.equal(stateHash, reference.stateHash());
  } finally {
    await host.stop().catch(() => {});
  }
});

test('a shard worker stopped while it waits for the rest of its log (the read failed) never reports replayed, and stops', async () => {
  const cmds = orders(testSeed('streamed replay stopped'), 2_000);
  const { replay, feed } = streamedLog(cmds);
  feed.publish(700);
  const host = await MarketShardHost.start({ shardId: 0, markets: [DEFAULT_MARKETS[0]!], inputs: 1, gatewayBell: Doorbell.create(), riskBells: [], wait: 'spin-then-park', replay });
  let replayed = false;
  void host.replayed().then(() => (replayed = true));
  await replayedTo(host, 700);
  const done = await host.stop();
  assert.equal(done.handled, 0, 'its loop handled nothing');
  assert.equal(replayed, false);
});
