// The hub's book follows the engine's: after every flush its snapshot equals the market shard's own L2
// levels, and a client following snapshot + diffs with the venue procedure (gateway/client/book-sync.ts)
// stays equal to it through injected gaps, corrupted diffs and reconnects.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BookSync, perpxDiff, perpxSnapshot } from '../../../gateway/client/book-sync.js';
import { bookChecksum } from '../../../gateway/market-data/checksum.js';
import { MarketDataHub } from '../../../gateway/market-data/hub.js';
import type { BookDiff, MarketDataMessage } from '../../../gateway/market-data/messages.js';
import { place as placeOrder } from '../../support/commands.js';
import { engineLevels, FLOW_MARKETS, FLOW_T0, flowExchange, marketFlow } from '../../support/market-flow.js';
import { rng, testSeed } from '../../support/seed.js';

const MARKETS = FLOW_MARKETS;
const exchange = flowExchange;

test('after every flush the hub snapshot is the market shard book, with contiguous seqs and a matching checksum', () => {
  const seed = testSeed('hub book equals engine');
  const ex = exchange();
  const hub = new MarketDataHub(MARKETS);
  ex.onGateway(hub.onRecord);
  const diffs: BookDiff[] = [];
  for (const m of MARKETS) assert.ok(hub.subscribe('book', m.symbol, (msg) => msg.channel === 'book' && msg.type === 'diff' && diffs.push(msg)).ok);
  for (const c of marketFlow(seed, 400)) {
    ex.send(c.layout, c.header, c.body);
    hub.flush();
    for (const m of MARKETS) {
      const snap = hub.snapshot(m.symbol)!;
      assert.deepEqual({ bids: snap.bids, asks: snap.asks }, engineLevels(ex, m.marketId), `${m.symbol} after seq ${snap.seq}`);
    }
  }
  for (const m of MARKETS) {
    const mine = diffs.filter((d) => d.market === m.symbol);
    assert.ok(mine.length > 50, `${m.symbol} had ${mine.length} diffs`);
    mine.forEach((d, i) => assert.deepEqual([d.prevSeq, d.seq], [i, i + 1]));
  }
  const snap = hub.snapshot('BTC-PERP', 25)!;
  assert.ok(snap.bids.length <= 25 && snap.asks.length <= 25);
  assert.equal(snap.checksum, hub.snapshot('BTC-PERP')!.checksum, 'the checksum is of the top 25 levels whatever depth is asked');
});

test('a client following the venue procedure stays in sync through dropped diffs, corrupted diffs and reconnects', () => {
  const seed = testSeed('book sync through faults');
  const r = rng(seed ^ 0x5eed);
  const ex = exchange();
  const hub = new MarketDataHub(MARKETS);
  ex.onGateway(hub.onRecord);
  // The client's connection: diffs go through a lossy link; a snapshot it asks for arrives a few diffs later.
  let wantSnapshot = false;
  let snapshotIn = -1;
  const client = new BookSync(() => {
    wantSnapshot = true;
    snapshotIn = 1 + (r() % 3);
  });
  let dropped = 0;
  let corrupted = 0;
  let reconnects = 0;
  let faults = true;
  // One level of the diff, still on the book and inside the top 25 of its side, one lot more than it is.
  const corrupt = (msg: BookDiff): BookDiff | undefined => {
    const top = hub.snapshot('BTC-PERP', 25)!;
    for (const side of ['bids', 'asks'] as const) {
      const shown = new Set(top[side].map(([p]) => p));
      const i = msg[side].findIndex(([p, q]) => q > 0 && shown.has(p));
      if (i >= 0) return { ...msg, [side]: msg[side].map((l, j) => (j === i ? ([l[0], l[1] + 1, l[2]] as const) : l)) };
    }
    return undefined;
  };
  let bad: BookDiff | undefined;
  const deliver = (msg: MarketDataMessage) => {
    if (msg.channel !== 'book') return;
    if (msg.type === 'snapshot') return client.onSnapshot(perpxSnapshot(msg));
    const k = faults ? r() % 100 : 100;
    if (k < 3) {
      dropped++;
    } else if (k < 5 && client.synced && (bad = corrupt(msg)) !== undefined) {
      // Only a corruption the checksum can see counts: a synced client, a level inside the top 25.
      corrupted++;
      client.onDiff(perpxDiff(bad));
    } else {
      client.onDiff(perpxDiff(msg));
    }
    if (wantSnapshot && --snapshotIn <= 0) {
      wantSnapshot = false;
      client.onSnapshot(perpxSnapshot(hub.snapshot('BTC-PERP')!));
    }
  };
  const place = placeOrder({ orderId: 1_000_000, accountId: 1, marketId: 1, priceTicks: 599_900, qtyLots: 1, timeUs: FLOW_T0 + 10_000_000_000 });
  let sub = hub.subscribe('book', 'BTC-PERP', deliver);
  assert.ok(sub.ok);
  for (const c of marketFlow(seed, 1_500)) {
    ex.send(c.layout, c.header, c.body);
    hub.flush();
    if (r() % 200 === 0 && sub.ok) {
      // A reconnect: the old subscription ends, the client drops its book, a new one starts with a snapshot.
      reconnects++;
      sub.unsubscribe();
      client.reset();
      wantSnapshot = false;
      sub = hub.subscribe('book', 'BTC-PERP', deliver);
    }
  }
  // A dropped last diff shows only when the next one arrives: one more, delivered cleanly.
  faults = false;
  ex.send(place.layout, place.header, place.body);
  hub.flush();
  // A last snapshot if one is still owed; then the book must be the hub's, which is the engine's.
  if (!client.synced) client.onSnapshot(perpxSnapshot(hub.snapshot('BTC-PERP')!));
  const snap = hub.snapshot('BTC-PERP')!;
  assert.equal(client.synced, true);
  assert.deepEqual({ bids: client.book.topBids(Infinity), asks: client.book.topAsks(Infinity) }, { bids: snap.bids, asks: snap.asks });
  assert.equal(bookChecksum(client.book), snap.checksum);
  assert.ok(dropped > 0 && corrupted > 0, `faults injected: ${dropped} dropped, ${corrupted} corrupted, ${reconnects} reconnects`);
  assert.ok(client.stats.gaps > 0 && client.stats.checksumMismatches > 0, JSON.stringify(client.stats));
  assert.ok(client.stats.resyncs >= client.stats.gaps + reconnects);
});
