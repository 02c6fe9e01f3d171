// Market data over the real WebSocket gateway: the hub mounted on the gateway's channel registry and
// dispatch loop, a client (no login needed) subscribing to the book, trades, ticker and mark of BTC-PERP,
// and two traders trading. The client's book, rebuilt with BookSync from the `md` snapshot and diffs,
// equals the hub's with the same checksum; trades and marks arrive; bad subscriptions get their codes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { BookSync, perpxDiff, perpxSnapshot } from '../../../gateway/client/book-sync.js';
import { PerpxClient } from '../../../gateway/client/client.js';
import { WsBookFollower } from '../../../gateway/client/ws-book.js';
import { bookChecksum } from '../../../gateway/market-data/checksum.js';
import type { LevelTuple } from '../../../gateway/market-data/l2-book.js';
import { mountMarketData } from '../../../gateway/market-data/ws-channels.js';
import { MID, refusal, startHarness, until } from '../support/harness.js';

type Md = Record<string, unknown> & { channel: string };


test('a WebSocket client rebuilds the book from md frames and sees trades, tickers and marks', async () => {
  const h = await startHarness();
  const hub = mountMarketData(h.gateway);
  const watcher = await PerpxClient.connect(h.url);
  try {
    const md: Md[] = [];
    const sync = new BookSync(() => assert.fail('no gap on a loopback connection'));
    watcher.on('md', (m) => {
      const msg = m as Md;
      md.push(msg);
      if (msg.channel !== 'book') return;
      const levels = msg as unknown as { seq: number; prevSeq: number; bids: LevelTuple[]; asks: LevelTuple[]; checksum: number };
      if (msg['type'] === 'snapshot') sync.onSnapshot(perpxSnapshot(levels));
      else sync.onDiff(perpxDiff(levels));
    });
    for (const ch of ['book', 'trades', 'ticker', 'mark']) assert.deepEqual(await watcher.subscribe(ch, 1), { channel: ch, market: 1 });
    assert.equal(await refusal(watcher.subscribe('candles', 1)), Code.UNKNOWN_CHANNEL);
    assert.equal(await refusal(watcher.subscribe('book', 9)), Code.UNKNOWN_MARKET);
    assert.equal(await refusal(watcher.subscribe('insurance', 1)), Code.INVALID_FIELD);
    await watcher.subscribe('insurance');

    await h.mark(MID);
    const maker = await h.trader();
    const taker = await h.trader();
    for (let i = 1; i <= 5; i++) {
      await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + i * 10, qty: i, tif: 'postOnly' });
      await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - i * 10, qty: i, tif: 'postOnly' });
    }
    const resting = await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 5, qty: 7 });
    await maker.client.cancel({ market: 1, orderId: resting.orderId });
    await taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 20, qty: 4, tif: 'ioc' });

    await until(() => md.some((m) => m.channel === 'trades') && sync.position === hub.snapshot('BTC-PERP')!.seq && md.some((m) => m.channel === 'ticker'), 'trades, ticker and the last diff');
    const snap = hub.snapshot('BTC-PERP')!;
    assert.deepEqual({ bids: sync.book.topBids(Infinity), asks: sync.book.topAsks(Infinity) }, { bids: snap.bids, asks: snap.asks });
    assert.equal(bookChecksum(sync.book), snap.checksum);
    // The IOC for 4 up to MID + 20 takes the 1 at MID + 10 and the 2 at MID + 20; the last lot is cancelled.
    assert.deepEqual(sync.book.topAsks(2), [[MID + 30, 3, 1], [MID + 40, 4, 1]]);
    await until(() => md.filter((m) => m.channel === 'trades').length === 2, 'both trades');
    const trades = md.filter((m) => m.channel === 'trades');
    assert.deepEqual(trades.map((t) => [t['priceTicks'], t['qtyLots'], t['market'], t['symbol']]), [[MID + 10, 1, 1, 'BTC-PERP'], [MID + 20, 2, 1, 'BTC-PERP']]);
    assert.ok(md.some((m) => m.channel === 'mark' && m['markTicks'] === MID), 'the mark of the index tick');
    assert.equal(typeof md.find((m) => m.channel === 'ticker')!['volumeLots'], 'bigint', 'a 64-bit field arrives as bigint');

    // The SDK's follower: a lost book (as after a gap) is re-subscribed and rebuilt from a fresh snapshot.
    const follower = new WsBookFollower(watcher, 1);
    follower.sync.reset();
    await until(() => follower.resubscribes === 1 && follower.sync.synced, 'resubscribed and in sync');
    await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 3, qty: 2 });
    await until(() => follower.sync.position === hub.snapshot('BTC-PERP')!.seq, 'the follower takes the next diff');
    assert.deepEqual(follower.sync.book.topBids(Infinity), hub.snapshot('BTC-PERP')!.bids);
  } finally {
    await watcher.close();
    await h.stop();
  }
});
