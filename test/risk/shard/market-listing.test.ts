// ListMarket at a risk shard (risk/shard/market-listing.ts): the operator's only; refused without a
// throw and changing nothing when it names no market shard, settles in another collateral, or is broken;
// a snapshot between two parts keeps the parts so far; the listed market is in the state hash.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { decodeRecord, encodeRecord, type DecodedRecord } from '../../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { readSnapshotStreams } from '../../../engine/snapshot/shard-streams.js';
import { readHeader } from '../../../engine/snapshot/snapshot-envelope.js';
import { DEFAULT_POOL, riskMarket } from '../../../risk/shard/config.js';
import { LiquidationEngine } from '../../../risk/shard/liquidation-engine.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { advanceTime } from '../../support/commands.js';
import { listingGroup, testListing } from '../../support/listing.js';
import { below, rng, testSeed } from '../../support/seed.js';

const T0 = 1_700_000_000_000_000;
const SOL = testListing(7, 'SOL-PERP');

function shard() {
  const gateway = new MemoryOutput();
  const markets = [new MemoryOutput(), new MemoryOutput()];
  const r = new RiskShard(0, 1, DEFAULT_MARKETS.map((m) => riskMarket(m)), DEFAULT_POOL, (m) => m - 1, gateway, markets, (state, effects) => new LiquidationEngine(state, effects, DEFAULT_POOL));
  let taken = 0;
  const feed = (g: RecordBuffer, from = 0, to = g.capacity) => {
    for (let i = from; i < to; i++) {
      const one = RecordBuffer.allocate(1);
      one.copyFrom(g, g.at(i), 0);
      one.setSeq(0, r.lastSeq(0) + 1);
      r.handle(one, 0, 0);
      r.flush();
    }
  };
  const take = (): DecodedRecord[] => {
    const out: DecodedRecord[] = [];
    for (let i = taken; i < gateway.length; i++) out.push(decodeRecord(gateway.records, gateway.offsetOf(i)));
    taken = gateway.length;
    return out;
  };
  return { r, markets, feed, take };
}

test('a listing is applied, answered MarketListed, and forwarded whole to the market shard it names, and only there', () => {
  const { r, markets, feed, take } = shard();
  const g = listingGroup(SOL, { requestId: 5, shard: 1, timeUs: T0 });
  feed(g);
  assert.deepEqual(take().map((e) => [e.type, e.requestId, e.shard, e.by, e.markets]), [['MarketListed', 5, 1, 2, 3]]);
  assert.equal(markets[0]!.length, 0);
  assert.equal(markets[1]!.length, g.capacity, 'every part, in order');
  assert.deepEqual(Uint8Array.from(markets[1]!.records.u8.subarray(0, g.capacity * 128)).map((b, i) => (i % 128 < 8 ? 0 : b)), Uint8Array.from(g.u8).map((b, i) => (i % 128 < 8 ? 0 : b)), 'the same records but their seqs');
  assert.equal(r.state.markets.get(7)!.config.defaultLeverage, 20n);
  assert.equal(r.parts.marketShardOf(7), 1);
});

test('refusals change nothing and are answered once: no operator flag, a market shard that does not exist, another collateral, a broken group', () => {
  const { r, markets, feed, take } = shard();
  // The shard's clock at the listings' time first: parts a group takes before its last move it there, as
  // any accepted command would (docs/COMMANDS.md, "What a refusal leaves behind").
  const tick = RecordBuffer.allocate(1);
  encodeRecord(tick, 0, advanceTime(T0).layout, { timeUs: T0 }, {});
  feed(tick);
  take();
  const before = r.stateHashExcludingStreams();
  const cases: [RecordBuffer, number][] = [
    [listingGroup(SOL, { requestId: 1, shard: 0, timeUs: T0, flags: 0 }), Code.NOT_PERMITTED],
    [listingGroup(SOL, { requestId: 2, shard: 2, timeUs: T0 }), Code.INVALID_MARKET_SHARD],
    [listingGroup(testListing(7, 'SOL-PERP', { quoteAsset: 'USDC' }), { requestId: 3, shard: 0, timeUs: T0 }), Code.INVALID_MARKET_SPEC],
    [listingGroup(testListing(8, 'ETH-PERP'), { requestId: 4, shard: 0, timeUs: T0 }), Code.MARKET_EXISTS],
  ];
  for (const [g, code] of cases) {
    feed(g);
    const answers = take();
    const last = answers[answers.length - 1]!;
    assert.deepEqual([last.type, last.code], ['OrderRejected', code], `code ${code}`);
    assert.equal(r.stateHashExcludingStreams(), before, `code ${code}`);
  }
  const g = listingGroup(SOL, { requestId: 6, shard: 0, timeUs: T0 });
  feed(g, 0, 1);
  feed(g, 2);
  assert.equal(take()[0]!.code, Code.LISTING_INCOMPLETE);
  assert.equal(r.stateHashExcludingStreams(), before);
  assert.equal(markets[0]!.length + markets[1]!.length, 0, 'nothing forwarded');
});

test('a snapshot between two parts keeps them: the decoded shard completes the group like the live one', () => {
  const live = shard();
  const g = listingGroup(SOL, { requestId: 5, shard: 1, timeUs: T0 });
  live.feed(g, 0, 2);
  const bytes = live.r.encodeState();
  assert.equal(readHeader(bytes).version, 3);
  const { streams } = readSnapshotStreams(bytes);
  const gateway = new MemoryOutput(16, streams.gatewayNextSeq);
  const decoded = RiskShard.decode(bytes, gateway, streams.outputNextSeqs.map((s) => new MemoryOutput(16, s)));
  assert.equal(decoded.stateHash(), live.r.stateHash());
  live.feed(g, 2);
  for (let i = 2; i < g.capacity; i++) {
    const one = RecordBuffer.allocate(1);
    one.copyFrom(g, g.at(i), 0);
    one.setSeq(0, decoded.lastSeq(0) + 1);
    decoded.handle(one, 0, 0);
  }
  assert.ok(decoded.state.markets.has(7));
  assert.equal(decoded.stateHash(), live.r.stateHash());
  const bytesAgain = decoded.encodeState();
  const s2 = readSnapshotStreams(bytesAgain).streams;
  const again = RiskShard.decode(bytesAgain, new MemoryOutput(16, s2.gatewayNextSeq), s2.outputNextSeqs.map((n) => new MemoryOutput(16, n)));
  assert.equal(again.parts.marketShardOf(7), 1, 'a decoded listed market keeps its market shard');
});

test('the listing is in the state hash: the same market listed on another shard hashes differently', () => {
  const a = shard();
  const b = shard();
  a.feed(listingGroup(SOL, { requestId: 5, shard: 0, timeUs: T0 }));
  b.feed(listingGroup(SOL, { requestId: 5, shard: 1, timeUs: T0 }));
  assert.notEqual(a.r.stateHashExcludingStreams(), b.r.stateHashExcludingStreams());
});

test('random damage to a listing\'s parts never makes a risk shard throw', () => {
  const rand = rng(testSeed('risk listing damage'));
  for (let round = 0; round < 200; round++) {
    const { r, feed } = shard();
    const g = listingGroup(SOL, { requestId: 5, shard: 1, timeUs: T0 });
    g.setU8(g.at(below(rand, g.capacity)), 24 + below(rand, 104), below(rand, 256));
    assert.doesNotThrow(() => feed(g), `round ${round}`);
    // Damage inside a text field can leave another valid listing (a symbol of other letters): then listed.
    assert.ok(r.state.markets.size === 2 || r.state.markets.size === 3);
  }
});
