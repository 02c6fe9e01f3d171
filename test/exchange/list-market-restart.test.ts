// A market created at run time on the durable threaded exchange: listed through every risk shard, traded
// by accounts on both, then the exchange stops and starts again from its data directory. The market comes
// back from the journal (not from the configuration, which is unchanged, so the data directory's check
// passes), with the state hashes it stopped with; its index ticks route to its owner again and it trades;
// the restore tool lists it, verifies the journal, replays to the same hashes and restores a point after it.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Side } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord, encodeRecord, type DecodedRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { Durability } from '../../exchange/durability.js';
import { EXIT } from '../../exchange/restore/main.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { indexTick, place, type Cmd } from '../support/commands.js';
import { listingGroup, testListing } from '../support/listing.js';
import { offerWaiting } from '../support/offer.js';
import { deposit } from '../support/risk-commands.js';
import { hex, tool } from './restore-cli.js';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000;
const USDT = 1_000_000n;
const SOL = 7;
const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
// A fresh topology per start: it learns listed markets as it runs.
const topology = () => new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 2 });

async function start(dir: string): Promise<{ ex: ThreadedExchange; t: Topology }> {
  const t = topology();
  const d = await Durability.open({ dir, log: () => {} }, t, { topology: t.config, riskMarkets });
  return { ex: await ThreadedExchange.start({ topology: t, riskMarkets, durability: d, ringCapacity: 1024 }), t };
}

/** Polls until `done` holds of the records seen so far (every record of the exchange goes to `seen`). */
async function until(ex: ThreadedExchange, seen: DecodedRecord[], done: () => boolean): Promise<void> {
  ex.flush();
  while (!done()) {
    if (ex.failure) throw ex.failure;
    await ex.waitForOutput(5);
    ex.poll((b, at) => void seen.push(decodeRecord(b, at)));
  }
}

/**
 * Sends an order until the exchange accepts it: the risk shards take the market's first mark from the
 * market shard's stream, which may reach them after the order (MARK_PRICE_UNAVAILABLE, and the order id
 * is free again).
 */
async function placeAccepted(ex: ThreadedExchange, seen: DecodedRecord[], c: Cmd, timeUs: number): Promise<number> {
  const id = c.body.orderId;
  for (let attempts = 1; ; attempts++) {
    const from = seen.length;
    await send(ex, seen, c, timeUs);
    await until(ex, seen, () => seen.slice(from).some((e) => (e.type === 'OrderAccepted' || e.type === 'OrderRejected') && e.orderId === id));
    if (seen.slice(from).some((e) => e.type === 'OrderAccepted' && e.orderId === id)) return attempts;
    await ex.waitForOutput(10);
  }
}

async function send(ex: ThreadedExchange, seen: DecodedRecord[], c: Cmd, timeUs: number): Promise<void> {
  const b = RecordBuffer.allocate(1);
  encodeRecord(b, 0, c.layout, { ...c.header, timeUs }, c.body);
  await offerWaiting(ex, b, 0, (buf, at) => void seen.push(decodeRecord(buf, at)));
}

test('a listed market survives a restart: the same hashes, routed to its owner, trading, and known to the restore tool', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-listed-'));
  try {
    const first = await start(dir);
    const seen: DecodedRecord[] = [];
    await send(first.ex, seen, deposit(1, 100_000n * USDT, 1), T0);
    await send(first.ex, seen, deposit(2, 100_000n * USDT, 2), T0);
    const g = listingGroup(testListing(SOL, 'SOL-PERP'), { requestId: 9, shard: 1, timeUs: T0 });
    while (!first.ex.offerListing(g, 0, g.capacity)) await first.ex.waitForOutput(1);
    await until(first.ex, seen, () => seen.filter((e) => e.type === 'MarketListed').length === 3);
    assert.equal(first.t.marketShardOf(SOL), 1, 'the owner\'s answer routes the market');
    await send(first.ex, seen, indexTick(150_000, T0 + S, SOL), T0 + S);
    await placeAccepted(first.ex, seen, place({ orderId: 1, accountId: 1, side: Side.SELL, priceTicks: 150_100, qtyLots: 40, marketId: SOL }), T0 + S);
    // Risk shard 0's gateway commands: account 2's deposit, the listing's parts, the attempts at order 2.
    const risk0Last = 1 + g.capacity + await placeAccepted(first.ex, seen, place({ orderId: 2, accountId: 2, side: Side.BUY, priceTicks: 150_100, qtyLots: 30, marketId: SOL }), T0 + S);
    await until(first.ex, seen, () => seen.filter((e) => e.type === 'FillSettled' && e.marketId === SOL).length === 2);
    const stopped = await first.ex.stop();
    const replayed = JSON.parse((await tool('hash', '--data', dir, '--json')).out) as { shards: { stateHash: string }[] };
    assert.deepEqual(replayed.shards.map((s) => s.stateHash), [...stopped.market, ...stopped.risk].map((h) => hex(h!)), 'a clean replay of the journal reaches the hashes the exchange stopped with');

    const second = await start(dir);
    assert.deepEqual(second.ex.listedAtStart().map((l) => [l.marketId, l.shard]), [[SOL, 1]]);
    assert.equal(second.t.marketShardOf(SOL), 1, 'routed to its owner from the recovered shards');
    const again: DecodedRecord[] = [];
    await send(second.ex, again, indexTick(150_200, T0 + 2 * S, SOL), T0 + 2 * S);
    await placeAccepted(second.ex, again, place({ orderId: 3, accountId: 2, side: Side.BUY, priceTicks: 150_100, qtyLots: 10, marketId: SOL }), T0 + 2 * S);
    await until(second.ex, again, () => again.some((e) => e.type === 'TradeExecuted' && e.marketId === SOL));
    assert.ok(again.some((e) => e.type === 'MarkPriceUpdated' && e.marketId === SOL), 'the index tick reached the owner');
    const after = await second.ex.stop();

    const inspect = JSON.parse((await tool('inspect', '--data', dir, '--json')).out) as { markets: { symbol: string }[] };
    assert.deepEqual(inspect.markets.map((m) => m.symbol), ['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
    const verify = await tool('verify', '--data', dir);
    assert.equal(verify.code, EXIT.OK, verify.err);
    const end = JSON.parse((await tool('hash', '--data', dir, '--json')).out) as { shards: { stateHash: string }[] };
    assert.deepEqual(end.shards.map((s) => s.stateHash), [...after.market, ...after.risk].map((h) => hex(h!)), 'and the restarted one\'s');

    // Restored to the point where risk shard 0 took its last command of the first run (the order's fill
    // comes after that point): the market is there, and the restored directory starts with it.
    const out = `${dir}-restored`;
    try {
      const restored = await tool('restore', '--data', dir, '--to-seq', String(risk0Last), '--shard', 'risk0', '--out', out);
      assert.equal(restored.code, EXIT.OK, restored.err);
      const there = JSON.parse((await tool('inspect', '--data', out, '--json')).out) as { markets: { symbol: string }[] };
      assert.deepEqual(there.markets.map((m) => m.symbol), ['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
      const third = await start(out);
      assert.deepEqual(third.ex.listedAtStart().map((l) => [l.marketId, l.shard]), [[SOL, 1]]);
      await third.ex.stop();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
