// Every way snapshot bytes can fail to add up ends in a SnapshotError with its own stable code (engine/
// codes.ts, persistence band), checked against real snapshots of both shard kinds: nothing else is ever
// thrown, and no bad buffer decodes into a shard.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Code } from '../../../engine/codes.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { readSnapshotStreams, writeStreams } from '../../../engine/snapshot/shard-streams.js';
import { readHeader } from '../../../engine/snapshot/snapshot-envelope.js';
import { SnapshotReader } from '../../../engine/snapshot/snapshot-reader.js';
import { DEFAULT_POOL } from '../../../risk/shard/config.js';
import { CursorLookup } from '../../../risk/shard/key-order.js';
import { RiskState } from '../../../risk/shard/state.js';
import { MarketTriggers } from '../../../risk/shard/trigger-index.js';
import { SnapshotError } from '../../../engine/snapshot/snapshot-error.js';
import { SnapshotWriter } from '../../../engine/snapshot/snapshot-writer.js';
import { encodePlain, decodePlain } from '../../../engine/snapshot/plain-codec.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { Side, TimeInForce } from '../../../engine/enums.js';
import { ExchangeHarness } from '../../property/exchange-harness.js';
import { encodeStream, indexTick, place } from '../../support/commands.js';
import { deposit } from '../../support/risk-commands.js';
import { testSeed } from '../../support/seed.js';
import { putTogether, takeApart, type Parts } from './reseal.js';

const USDT = 1_000_000n;

/** A market and a risk snapshot of a small exchange with resting orders, a trade and positions. */
function snapshots(): { market: Uint8Array; risk: Uint8Array } {
  const h = new ExchangeHarness({ markets: [DEFAULT_MARKETS[0]!], marketShards: 1, riskShards: 1, startUs: 1_700_000_000_000_000 });
  h.send(deposit(1, 1_000_000n * USDT, h.requestId()));
  h.send(deposit(2, 1_000_000n * USDT, h.requestId()));
  h.send(indexTick(300_000, h.nowUs));
  for (let i = 0; i < 5; i++) h.send(place({ orderId: h.orderId(), accountId: 1, side: Side.SELL, priceTicks: 300_100 + i * 10, qtyLots: 100 }));
  h.send(place({ orderId: h.orderId(), accountId: 2, side: Side.BUY, priceTicks: 300_110, qtyLots: 150, timeInForce: TimeInForce.IOC }));
  h.send(place({ orderId: h.orderId(), accountId: 2, side: Side.BUY, priceTicks: 299_000, qtyLots: 40 }));
  const s = h.exchange.encodeShards();
  return { market: s.marketShards[0]!, risk: s.riskShards[0]! };
}

const { market, risk } = snapshots();

function decodeMarket(bytes: Uint8Array): MarketShard {
  const { streams } = readSnapshotStreams(bytes);
  return MarketShard.decode(bytes, new MemoryOutput(1, streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new MemoryOutput(1, s)));
}

function decodeRisk(bytes: Uint8Array): RiskShard {
  const { streams } = readSnapshotStreams(bytes);
  return RiskShard.decode(bytes, new MemoryOutput(1, streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new MemoryOutput(1, s)));
}

test('a market snapshot without listings is written in version 1, the same sections read as version 2 too, and version 3 is SNAPSHOT_VERSION_UNSUPPORTED', () => {
  const p = takeApart(market);
  assert.equal(readHeader(market).version, 1);
  assert.equal(code(() => decodeMarket(putTogether(p, 3))), Code.SNAPSHOT_VERSION_UNSUPPORTED);
  assert.equal(code(() => decodeMarket(putTogether(p, 1))), Code.OK);
  assert.equal(code(() => decodeMarket(putTogether(p, 2))), Code.OK);
});

test('a risk snapshot is checked in the hash definition of its version: version 2 bytes relabelled version 1 are SNAPSHOT_HASH_MISMATCH', () => {
  assert.equal(readHeader(risk).version, 2);
  assert.equal(code(() => decodeRisk(putTogether(takeApart(risk), 1))), Code.SNAPSHOT_HASH_MISMATCH);
  const shard = decodeRisk(risk);
  const p = { ...takeApart(risk), stateHash: shard.stateHashAs(1) };
  assert.equal(code(() => decodeRisk(putTogether(p, 1))), Code.OK, 'the same sections with the old mixer\'s hash are a sound version 1');
  assert.equal(code(() => decodeRisk(putTogether(p, 2))), Code.SNAPSHOT_HASH_MISMATCH);
});

const decoders = [
  ['market', market, decodeMarket],
  ['risk', risk, decodeRisk],
] as const;

function code(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof SnapshotError) return e.code;
    throw e;
  }
  return Code.OK;
}

function changed(bytes: Uint8Array, change: (p: Parts) => void): Uint8Array {
  const p = takeApart(bytes);
  change(p);
  return putTogether(p);
}

test('the snapshots used below decode, and re-encode to the same bytes', () => {
  assert.deepEqual(decodeMarket(market).encodeState(), market);
  assert.deepEqual(decodeRisk(risk).encodeState(), risk);
  assert.deepEqual(putTogether(takeApart(risk)), risk, 'the test helper itself changes nothing');
});

for (const [kind, bytes, decode] of decoders) {
  test(`${kind}: an empty or short buffer is SNAPSHOT_TRUNCATED`, () => {
    assert.equal(code(() => decode(new Uint8Array(0))), Code.SNAPSHOT_TRUNCATED);
    assert.equal(code(() => decode(bytes.slice(0, 3))), Code.SNAPSHOT_TRUNCATED);
    assert.equal(code(() => decode(bytes.slice(0, 20))), Code.SNAPSHOT_TRUNCATED);
  });

  test(`${kind}: every truncation is SNAPSHOT_TRUNCATED`, () => {
    for (let n = 4; n < bytes.length; n += Math.max(1, Math.floor(bytes.length / 200))) {
      assert.equal(code(() => decode(bytes.slice(0, n))), Code.SNAPSHOT_TRUNCATED, `cut at ${n} of ${bytes.length}`);
    }
  });

  test(`${kind}: bytes after the end the header announces are SNAPSHOT_MALFORMED`, () => {
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    assert.equal(code(() => decode(longer)), Code.SNAPSHOT_MALFORMED);
  });

  test(`${kind}: something that is not a snapshot is SNAPSHOT_CORRUPT`, () => {
    assert.equal(code(() => decode(new TextEncoder().encode('{"not": "a snapshot", "padding": "................................"}'))), Code.SNAPSHOT_CORRUPT);
  });

  test(`${kind}: a format version this build does not read is SNAPSHOT_VERSION_UNSUPPORTED`, () => {
    for (const v of [0, 4, 0x101]) {
      const other = bytes.slice();
      new DataView(other.buffer).setUint16(4, v, true);
      assert.equal(code(() => decode(other)), Code.SNAPSHOT_VERSION_UNSUPPORTED, `version ${v}`);
    }
  });

  test(`${kind}: any flipped bit is caught (SNAPSHOT_CORRUPT by the checksum, or an earlier header check)`, () => {
    const seed = testSeed(`snapshot bit flips, ${kind}`);
    fc.assert(
      fc.property(fc.nat(bytes.length * 8 - 1), (bit) => {
        const flipped = bytes.slice();
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const c = code(() => decode(flipped));
        assert.notEqual(c, Code.OK, `bit ${bit} flipped and the snapshot still decoded`);
        if ((bit >> 3) >= 8) assert.ok(c === Code.SNAPSHOT_CORRUPT || c === Code.SNAPSHOT_TRUNCATED || c === Code.SNAPSHOT_MALFORMED, `bit ${bit}: code ${c}`);
      }),
      { seed, numRuns: 300 },
    );
  });

  test(`${kind}: a section with a byte too many does not add up (SNAPSHOT_MALFORMED)`, () => {
    for (let i = 0; i < takeApart(bytes).sections.length; i++) {
      const c = code(() => decode(changed(bytes, (p) => (p.sections[i]!.payload = Uint8Array.from([...p.sections[i]!.payload, 0])))));
      assert.equal(c, Code.SNAPSHOT_MALFORMED, `section ${i} (${takeApart(bytes).sections[i]!.tag})`);
    }
  });

  test(`${kind}: a missing, repeated, extra or reordered section is SNAPSHOT_MALFORMED`, () => {
    const n = takeApart(bytes).sections.length;
    assert.equal(code(() => decode(changed(bytes, (p) => p.sections.pop()))), Code.SNAPSHOT_MALFORMED);
    assert.equal(code(() => decode(changed(bytes, (p) => p.sections.push({ ...p.sections[n - 1]! })))), Code.SNAPSHOT_MALFORMED);
    assert.equal(code(() => decode(changed(bytes, (p) => p.sections.push({ tag: 'XTRA', payload: new Uint8Array(0) })))), Code.SNAPSHOT_MALFORMED);
    assert.equal(code(() => decode(changed(bytes, (p) => p.sections.reverse()))), Code.SNAPSHOT_MALFORMED);
  });

  test(`${kind}: a section cut short inside is SNAPSHOT_TRUNCATED or SNAPSHOT_MALFORMED, never anything else`, () => {
    const n = takeApart(bytes).sections.length;
    for (let i = 0; i < n; i++) {
      const len = takeApart(bytes).sections[i]!.payload.length;
      for (const keep of [0, 1, len >> 1, len - 1]) {
        if (keep < 0 || keep >= len) continue;
        const c = code(() => decode(changed(bytes, (p) => (p.sections[i]!.payload = p.sections[i]!.payload.slice(0, keep)))));
        assert.ok(c === Code.SNAPSHOT_TRUNCATED || c === Code.SNAPSHOT_MALFORMED, `section ${i} cut to ${keep}: ${c}`);
      }
    }
  });

  test(`${kind}: a state that decodes but is not the one the header's hash names is SNAPSHOT_HASH_MISMATCH (unless the caller skips the check)`, () => {
    const other = changed(bytes, (p) => (p.stateHash ^= 1n));
    assert.equal(code(() => decode(other)), Code.SNAPSHOT_HASH_MISMATCH);
    const { streams } = readSnapshotStreams(other);
    const outputs = streams.outputNextSeqs.map((s) => new MemoryOutput(1, s));
    const unchecked = kind === 'market' ? MarketShard.decode(other, new MemoryOutput(1, streams.gatewayNextSeq), outputs, { verifyHash: false }) : RiskShard.decode(other, new MemoryOutput(1, streams.gatewayNextSeq), outputs, { verifyHash: false });
    assert.equal(unchecked.stateHash(), readSnapshotStreams(bytes).header.stateHash);
  });

  test(`${kind}: outputs that do not continue the snapshot's streams are SNAPSHOT_STREAM_MISMATCH`, () => {
    const { streams } = readSnapshotStreams(bytes);
    const outputs = streams.outputNextSeqs.map((s) => new MemoryOutput(1, s));
    const shard = kind === 'market' ? MarketShard.decode : RiskShard.decode;
    assert.equal(code(() => shard(bytes, new MemoryOutput(1, streams.gatewayNextSeq + 1), outputs)), Code.SNAPSHOT_STREAM_MISMATCH);
    assert.equal(code(() => shard(bytes, new MemoryOutput(1, streams.gatewayNextSeq), [...outputs, new MemoryOutput()])), Code.SNAPSHOT_STREAM_MISMATCH);
    assert.equal(code(() => shard(bytes, new MemoryOutput(1, streams.gatewayNextSeq), outputs.map((o) => new MemoryOutput(1, o.nextSeq + 1)))), Code.SNAPSHOT_STREAM_MISMATCH);
  });

  test(`${kind}: a configuration the constructors refuse is SNAPSHOT_MALFORMED`, () => {
    const conf = (p: Parts): Record<string, unknown> => decodePlain(p.sections[0]!.payload, 'test') as Record<string, unknown>;
    const broken = changed(bytes, (p) => {
      const c = conf(p);
      const markets = c.markets as Record<string, unknown>[];
      if (kind === 'market') markets[0] = { ...markets[0], tickSize: 'ten' };
      else markets[0] = { ...markets[0], market: { ...(markets[0]!.market as object), maxOrders: 0 } };
      p.sections[0]!.payload = encodePlain(c);
    });
    assert.equal(code(() => decode(broken)), Code.SNAPSHOT_MALFORMED);
    const garbage = changed(bytes, (p) => (p.sections[0]!.payload = Uint8Array.from([0xc1])));
    assert.equal(code(() => decode(garbage)), Code.SNAPSHOT_MALFORMED);
  });
}

test('a market snapshot given to the risk decoder, or the other way round, is SNAPSHOT_KIND_MISMATCH', () => {
  assert.equal(code(() => RiskShard.decode(market, new MemoryOutput(), [new MemoryOutput()])), Code.SNAPSHOT_KIND_MISMATCH);
  assert.equal(code(() => MarketShard.decode(risk, new MemoryOutput(), [new MemoryOutput()])), Code.SNAPSHOT_KIND_MISMATCH);
});

test('a risk shard decoded into a topology that moved its markets is SNAPSHOT_STREAM_MISMATCH', () => {
  const { streams } = readSnapshotStreams(risk);
  const outputs = [new MemoryOutput(1, streams.outputNextSeqs[0]!), new MemoryOutput()];
  assert.equal(code(() => RiskShard.decode(risk, new MemoryOutput(1, streams.gatewayNextSeq), outputs.slice(0, 1), { marketShardOf: () => 1 })), Code.SNAPSHOT_STREAM_MISMATCH);
});

test('a book section listing an order twice, a crossed book or an order of an unknown account is SNAPSHOT_MALFORMED', () => {
  const p = takeApart(market);
  const book = p.sections.findIndex((s) => s.tag === 'BOOK');
  // Rewrite the book section from scratch: scalars, two accounts, one ask level holding `orders`.
  const withOrders = (orders: { id: number; account: number; price: number; side: number }[], levels: number[]): Uint8Array => {
    const w = new SnapshotWriter();
    w.uint(5);
    w.uint(0);
    w.uint(300_000);
    w.uint(2);
    for (const id of [1, 2]) {
      w.uint(id);
      w.int(0);
      w.u8(1);
    }
    w.uint(0);
    w.uint(levels.length);
    for (let i = 0; i < 4; i++) w.uint(0);
    w.i32s(Int32Array.from(levels));
    for (const col of [orders.map((o) => o.id), orders.map((o) => o.price), orders.map(() => 10), orders.map(() => 10), orders.map(() => 1)]) w.f64s(Float64Array.from(col));
    w.i32s(Int32Array.from(orders.map((o) => o.account)));
    w.i32s(Int32Array.from(orders.map((o) => (o.side << 24) | (1 << 8))));
    w.uint(0);
    w.f64s(new Float64Array(0));
    w.uint(0);
    w.f64s(new Float64Array(0));
    return w.finish();
  };
  const decodeWith = (payload: Uint8Array): number => {
    const q = takeApart(market);
    q.sections[book]!.payload = payload;
    return code(() => decodeMarket(putTogether(q)));
  };
  // A well-formed book of its own decodes (and then differs from the hash the header names).
  assert.equal(decodeWith(withOrders([{ id: 7, account: 0, price: 300_100, side: Side.SELL }], [1])), Code.SNAPSHOT_HASH_MISMATCH);
  assert.equal(decodeWith(withOrders([{ id: 7, account: 0, price: 300_100, side: Side.SELL }, { id: 7, account: 1, price: 300_200, side: Side.SELL }], [1, 1])), Code.SNAPSHOT_MALFORMED);
  assert.equal(decodeWith(withOrders([{ id: 7, account: 2, price: 300_100, side: Side.SELL }], [1])), Code.SNAPSHOT_MALFORMED);
  assert.equal(decodeWith(withOrders([{ id: 7, account: 0, price: 300_100, side: Side.BUY }], [1])), Code.SNAPSHOT_MALFORMED);
  assert.equal(decodeWith(withOrders([{ id: 7, account: 0, price: 300_200, side: Side.SELL }, { id: 8, account: 1, price: 300_100, side: Side.SELL }], [1, 1])), Code.SNAPSHOT_MALFORMED);
});

test('a market shard with a surveillance stream decodes only with one that continues it (SNAPSHOT_STREAM_MISMATCH otherwise)', () => {
  const out = () => new MemoryOutput();
  const surveillance = out();
  const shard = new MarketShard([DEFAULT_MARKETS[0]!], out(), [out()], undefined, undefined, surveillance, undefined, 3);
  const orders = [1, 2, 3].map((i) => place({ orderId: i, accountId: i, side: Side.SELL, priceTicks: 300_000 + i, qtyLots: 5 }));
  const buf = encodeStream(orders);
  for (let i = 0; i < orders.length; i++) shard.handle(buf, buf.at(i), 1);
  const bytes = shard.encodeState();
  const { streams, header } = readSnapshotStreams(bytes);
  assert.equal(header.shardId, 3);
  assert.equal(streams.surveillanceNextSeq, surveillance.nextSeq);
  const decoded = (s?: MemoryOutput) => MarketShard.decode(bytes, new MemoryOutput(1, streams.gatewayNextSeq), [new MemoryOutput(1, streams.outputNextSeqs[0]!)], { surveillance: s });
  assert.equal(decoded(new MemoryOutput(1, surveillance.nextSeq)).stateHash(), shard.stateHash());
  assert.equal(code(() => decoded()), Code.SNAPSHOT_STREAM_MISMATCH);
  assert.equal(code(() => decoded(new MemoryOutput(1, surveillance.nextSeq + 1))), Code.SNAPSHOT_STREAM_MISMATCH);
  assert.equal(code(() => decodeMarket(market)), Code.OK, 'a shard without one needs none');
  const { streams: plain } = readSnapshotStreams(market);
  assert.equal(code(() => MarketShard.decode(market, new MemoryOutput(1, plain.gatewayNextSeq), [new MemoryOutput(1, plain.outputNextSeqs[0]!)], { surveillance: new MemoryOutput() })), Code.SNAPSHOT_STREAM_MISMATCH);
});

test('bytes changed inside a section and re-sealed with a correct checksum never make decode throw anything but a SnapshotError', () => {
  const seed = testSeed('snapshot section fuzz');
  for (const [kind, bytes, decode] of decoders) {
    const parts = takeApart(bytes);
    fc.assert(
      fc.property(fc.nat(parts.sections.length - 1), fc.array(fc.record({ at: fc.nat(), value: fc.nat(255) }), { minLength: 1, maxLength: 4 }), (section, edits) => {
        const q = takeApart(bytes);
        const payload = q.sections[section]!.payload;
        if (payload.length === 0) return;
        for (const e of edits) payload[e.at % payload.length] = e.value;
        // A SnapshotError, or a shard (an edit can leave the state as it was: a counter, a padding byte).
        code(() => decode(putTogether(q)));
      }),
      { seed, numRuns: Number(process.env.FUZZ_RUNS ?? 400), examples: [] },
    );
    void kind;
  }
});

test('counts that would make decode allocate or loop without end are SNAPSHOT_MALFORMED before anything is allocated', () => {
  // Heap ids: a count no slots and free ids account for (the decoder used to fill an array that long first).
  const w = new SnapshotWriter();
  for (const v of [300_000, 1]) w.uint(v);
  w.bool(false);
  w.uint(1);
  w.uint(2 ** 31);
  w.uint(0);
  w.uint(0);
  const b = w.finish();
  const triggers = new MarketTriggers(1);
  const state = new RiskState(0, 1, DEFAULT_POOL);
  assert.throws(() => triggers.readState(new SnapshotReader(b, 0, b.length, 'MONI'), new CursorLookup([], state.accounts)), (e: unknown) => e instanceof SnapshotError && e.code === Code.SNAPSHOT_MALFORMED);
  // Input positions: more inputs than streams could feed the shard (a million once went to one push()).
  const streams = changed(market, (p) => {
    const s = readSnapshotStreams(market).streams;
    const w2 = new SnapshotWriter();
    writeStreams(w2, { ...s, inputs: new Array<number>(1_000_000).fill(1) });
    p.sections[1]!.payload = w2.finish();
  });
  assert.equal(code(() => decodeMarket(streams)), Code.SNAPSHOT_MALFORMED);
});

test('a pricing schedule far behind the market\'s time is SNAPSHOT_MALFORMED, even under a matching state hash', () => {
  // Next sample and funding at 0 while the market's time is 2023: a schedule no input leads to (the next
  // record would count 10^8 sample times behind it).
  const p = takeApart(market);
  const i = p.sections.findIndex((s) => s.tag === 'PRIC');
  const pricing = decodeMarket(market).pricingOf(1)!;
  pricing.nowUs = 1_700_000_000_000_000;
  pricing.nextSampleUs = 0;
  pricing.nextFundingUs = 0;
  const w = new SnapshotWriter();
  pricing.writeState(w);
  p.sections[i]!.payload = w.finish();
  const crafted = putTogether(p);
  const { streams } = readSnapshotStreams(crafted);
  const outputs = () => [new MemoryOutput(1, streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new MemoryOutput(1, s))] as const;
  // Give the crafted state its own hash in the header, so only the schedule check stands in the way.
  let hash = 0n;
  try {
    const [g, o] = outputs();
    hash = MarketShard.decode(crafted, g, o, { verifyHash: false }).stateHash();
  } catch (e) {
    assert.ok(e instanceof SnapshotError && e.code === Code.SNAPSHOT_MALFORMED, String(e));
    return;
  }
  p.stateHash = hash;
  assert.equal(code(() => decodeMarket(putTogether(p))), Code.SNAPSHOT_MALFORMED);
});
