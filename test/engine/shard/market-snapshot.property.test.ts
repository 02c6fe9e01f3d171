// The market-shard codec on random states: random command streams (every order type and time in force,
// stops and take-profits, client ids, reduce-only, cancels, amends, marks, STP settings, index and timer
// ticks, Deleverages) drive a market shard; at a random point it is encoded and decoded; the decoded shard
// re-encodes to the same bytes and has the same state hash, and fed the rest of the stream it writes the
// same records to every output and ends with the same hash as the original.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CancelReason, Side } from '../../../engine/enums.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { defaultPricing } from '../../../engine/shard/market-pricing.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { EncodeBuffer } from '../../../engine/snapshot/snapshot-writer.js';
import { advanceTime, amend, cancel, cancelAll, deleverage, encodeStream, indexTick, place, setMark, setStp, type Cmd } from '../../support/commands.js';
import { testSeed } from '../../support/seed.js';
import { commandArb, MID_TICKS, PROPERTY_SPEC, Resolver, type Call, type Cmd as BookCmd } from '../book/command-stream.js';

const RUNS = process.env.CI === 'true' ? 150 : 300;
const MARKET = PROPERTY_SPEC.marketId;

/** One step of the stream: a book command, or an index tick, a timer tick or a Deleverage. */
type Step = { k: 'book'; c: BookCmd } | { k: 'index'; off: number } | { k: 'tick' } | { k: 'adl'; a: number; b: number; side: number; qty: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 20, arbitrary: commandArb.map((c): Step => ({ k: 'book', c })) },
  { weight: 2, arbitrary: fc.integer({ min: -20, max: 20 }).map((off): Step => ({ k: 'index', off })) },
  { weight: 1, arbitrary: fc.constant<Step>({ k: 'tick' }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('adl' as const), a: fc.integer({ min: 1, max: 4 }), b: fc.integer({ min: 1, max: 4 }), side: fc.constantFrom(Side.BUY, Side.SELL), qty: fc.integer({ min: 1, max: 6 }) }) },
);

function commandOf(call: Call): Cmd {
  switch (call.k) {
    case 'place': {
      const q = call.req;
      return place({ ...q, marketId: MARKET });
    }
    case 'cancel':
      return cancel(call.accountId, call.orderId, call.clientOrderId, MARKET);
    case 'cancelAll':
      return cancelAll(call.accountId, CancelReason.CANCEL_ALL, MARKET);
    case 'amend':
      return amend(call.accountId, call.orderId, call.priceTicks, call.qtyLots, MARKET);
    case 'mark':
      return setMark(call.priceTicks, MARKET);
    case 'stp':
      return setStp(call.accountId, call.mode, MARKET);
  }
}

class Run {
  readonly gateway: MemoryOutput;
  readonly risk: MemoryOutput[];
  readonly shard: MarketShard;
  private readonly seqs = [0, 0];

  constructor(from?: Run) {
    if (from === undefined) {
      this.gateway = new MemoryOutput();
      this.risk = [new MemoryOutput(), new MemoryOutput()];
      this.shard = new MarketShard([PROPERTY_SPEC], this.gateway, this.risk, undefined, new Map([[MARKET, defaultPricing(undefined, { fundingIntervalUs: 60_000_000 })]]));
    } else {
      const s = from.shard.streamPositions();
      this.gateway = new MemoryOutput(64, s.gatewayNextSeq);
      this.risk = s.outputNextSeqs.map((seq) => new MemoryOutput(64, seq));
      this.shard = MarketShard.decode(from.shard.encodeState(), this.gateway, this.risk);
      this.seqs = [from.shard.lastSeq(0), from.shard.lastSeq(1)];
    }
  }

  feed(cmd: Cmd, input: number): void {
    const buf = encodeStream([cmd], ++this.seqs[input]!);
    this.shard.handle(buf, 0, input);
    this.shard.flush();
  }

  /** Records written since `from` on every output, as bytes. */
  written(from: number[]): Buffer[][] {
    return [this.gateway, ...this.risk].map((o, i) => Array.from({ length: o.length - from[i]! }, (_, k) => Buffer.from(o.records.u8.subarray(o.offsetOf(from[i]! + k), o.offsetOf(from[i]! + k) + 128))));
  }

  lengths(): number[] {
    return [this.gateway.length, ...this.risk.map((r) => r.length)];
  }
}

test('a market shard decoded at any point of a random stream is the same shard: same bytes, hash and further records', () => {
  const seed = testSeed('market-shard snapshot property');
  let stops = 0;
  // One buffer for every run's snapshot: reused when the last one was larger, grown when it was smaller.
  const reused = new EncodeBuffer();
  fc.assert(
    fc.property(fc.array(stepArb, { minLength: 1, maxLength: 150 }), fc.nat(), (steps, at) => {
      const split = at % (steps.length + 1);
      const resolver = new Resolver();
      let timeUs = 1_700_000_000_000_000;
      let deleverageId = 1;
      const a = new Run();
      let b: Run | undefined;
      let bFrom: number[] = [];
      steps.forEach((s, i) => {
        if (i === split) {
          b = new Run(a);
          assert.deepEqual(b.shard.encodeState(), a.shard.encodeState(), `step ${i}: re-encoding differs`);
          // Into a buffer kept between encodes, left full of another snapshot's bytes and garbage.
          reused.bytes?.fill(0xa5);
          assert.deepEqual(a.shard.encodeState(reused), b.shard.encodeState(), `step ${i}: encoding into a reused buffer differs`);
          assert.equal(b.shard.stateHash(), a.shard.stateHash());
          bFrom = a.lengths();
          stops += a.shard.book(MARKET)!.orders().filter((o) => o.triggerPriceTicks > 0).length;
        }
        timeUs += 250_000;
        let cmd: Cmd;
        let input = 1;
        if (s.k === 'book') {
          cmd = commandOf(resolver.resolve(s.c, a.shard.book(MARKET)!.orders()));
          cmd = { ...cmd, header: { ...cmd.header, timeUs } };
        } else if (s.k === 'index') {
          cmd = indexTick(MID_TICKS + s.off, timeUs, MARKET);
          input = 0;
        } else if (s.k === 'tick') {
          cmd = advanceTime(timeUs);
          input = 0;
        } else {
          cmd = { ...deleverage(s.a, s.b, s.side, s.qty, MID_TICKS, deleverageId++, MARKET), header: { marketId: MARKET, accountId: s.a, timeUs } };
        }
        a.feed(cmd, input);
        b?.feed(cmd, input);
      });
      if (b === undefined) {
        b = new Run(a);
        bFrom = a.lengths();
      }
      assert.deepEqual(b.written([0, 0, 0]), a.written(bFrom), 'records after the split differ');
      assert.equal(b.shard.stateHash(), a.shard.stateHash());
    }),
    { seed, numRuns: RUNS },
  );
  assert.ok(stops > 0, `no snapshot held a stop order (seed ${seed})`);
});
