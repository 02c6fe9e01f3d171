// The adversarial fuzz of issue 8 in the suite: a seeded stream of valid flow with hostile records mixed
// in (fuzz-stream.ts: every field of every record type at boundary values, unknown ids, far times),
// through both exchanges. After every command:
//
//   no exception, and the command carried to quiescence with bounded work (no stall)
//   exactly one answer (docs/COMMANDS.md), and every refusal a code of the registry
//   a refusal changed no shard's state beyond what docs/COMMANDS.md allows
//   docs/RISK.md's invariants hold: open interest, conservation, the shards' own checks, no scope below zero
//   outside the liquidation pipeline
//
// and the threaded exchange, fed the same records one command at a time, publishes the same records and
// ends every shard with the state hash the in-process exchange reaches.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code, codeName } from '../../engine/codes.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord, type DecodedRecord } from '../../engine/ring/layouts/index.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { isTimeCode } from '../../engine/shard/shard-clock.js';
import type { GatewaySource, InProcessExchange } from '../../exchange/in-process-exchange.js';
import { InProcessExchange as Exchange } from '../../exchange/in-process-exchange.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { ExchangeHarness } from '../property/exchange-harness.js';
import { moneyViolations, negativeOutsidePipeline } from '../property/exchange-invariants.js';
import { applies, commandKey, refuses, type CommandKey } from '../support/answers.js';
import { testSeed } from '../support/seed.js';
import { fuzzStream, T0, type FuzzStream } from './fuzz-stream.js';

/** Records one command may set in motion (liquidation cascades included) before it counts as a stall. */
const MAX_RECORDS_PER_COMMAND = 100_000;
/** How long the threaded exchange may take to answer one command before it counts as stalled (liveness, not speed). */
const STALL_MS = 30_000;

interface Emitted {
  e: DecodedRecord;
  from: GatewaySource;
}

function shardHashes(x: InProcessExchange): bigint[] {
  return [...x.marketShards.map((s) => s.stateHashExcludingStreams()), ...x.riskShards.map((s) => s.stateHashExcludingStreams())];
}

/** The answers among a command's records; throws nothing, reports what it finds. */
function answersOf(key: CommandKey, batch: readonly Emitted[]): Emitted[] {
  return batch.filter((b) => applies(key, b.e) || refuses(key, b.e));
}

test('fuzz: hostile records mixed with valid flow leave the in-process exchange answering, consistent and unharmed', () => {
  const seed = testSeed('fuzz, in-process');
  const stream = fuzzStream(seed, 4_000, 8);
  const h = new ExchangeHarness({ markets: DEFAULT_MARKETS, marketShards: 2, riskShards: 2, startUs: T0 });
  const x = h.exchange;
  let batch: Emitted[] = [];
  x.onGateway((b, at, from) => batch.push({ e: decodeRecord(b, at), from }));
  const codes = new Map<number, number>();
  const allowed = { count: 0 };
  let refusedUnchanged = 0;
  let trades = 0;
  let liquidationSteps = 0;
  for (let i = 0; i < stream.length; i++) {
    const at = stream.records.at(i);
    const key = commandKey(stream.records, at);
    const label = `seed ${seed}, command ${i} (${key.type}${stream.hostile[i] ? ', hostile' : ''})`;
    const before = shardHashes(x);
    const riskClocks = x.riskShards.map((s) => s.parts.clock.nowUs);
    const deferred = x.riskShards.some((s) => s.hasDeferredWork());
    batch = [];
    h.log.beginCommand();
    let delivered = 0;
    assert.doesNotThrow(() => {
      x.submitRecord(stream.records, at);
      delivered = x.pump();
    }, label);
    assert.ok(delivered < MAX_RECORDS_PER_COMMAND, `${label}: ${delivered} records`);
    for (const { e } of batch) {
      if (e.type === 'TradeExecuted') trades++;
      if (e.type === 'LiquidationProgressed') liquidationSteps++;
      if (e.type !== 'OrderRejected') continue;
      const code = e.code as number;
      assert.ok(code !== Code.OK && codeName(code) !== 'UNKNOWN_CODE', `${label}: refusal code ${code}`);
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }

    const answers = answersOf(key, batch);
    if (key.type === RecordType.AdvanceTime) {
      // The gateway's timer: no answer when applied; a refusal from each shard that refused it.
      for (const a of answers) assert.ok(a.e.type === 'OrderRejected' && isTimeCode(a.e.code as number) || a.e.code === Code.INVALID_FLAGS, `${label}: ${a.e.type} ${a.e.code}`);
      if (answers.length === x.marketShards.length + x.riskShards.length) assert.deepEqual(shardHashes(x), before, `${label}: a timer tick every shard refused`);
    } else if (key.type === RecordType.ListMarket) {
      // A listing part goes to every risk shard: none answers a part that starts or continues a group, each
      // answers one that ends or breaks it (a single hostile record never carries a whole valid listing).
      assert.ok(answers.length <= x.riskShards.length && answers.every((a) => a.e.type === 'OrderRejected'), `${label}: ${answers.map((a) => a.e.type).join(' ')}`);
      assert.deepEqual(shardHashes(x).slice(0, x.marketShards.length), before.slice(0, x.marketShards.length), `${label}: nothing reached a market shard`);
    } else if (key.type === RecordType.RecordIndexSource) {
      // A record for the market shard's journal: no answer when taken, one refusal when not; never state.
      assert.ok(answers.length <= 1 && answers.every((a) => a.e.type === 'OrderRejected'), `${label}: ${answers.map((a) => a.e.type).join(' ')}`);
      assert.deepEqual(shardHashes(x), before, `${label}: an index source's record`);
    } else {
      assert.equal(answers.length, 1, `${label}: ${answers.length} answers among ${batch.map((b) => b.e.type).join(' ')}`);
      const [{ e: answer, from }] = answers as [Emitted];
      if (answer.type === 'OrderRejected') {
        const after = shardHashes(x);
        const markets = x.marketShards.length;
        // Market shards: a refusal anywhere leaves them as they were.
        assert.deepEqual(after.slice(0, markets), before.slice(0, markets), `${label}: market shards after ${codeName(answer.code as number)}`);
        // Risk shards: untouched, except the one that applied a command a market then refused: its time
        // moved to the command's, and the refusal carried deferred work that was due anyway.
        const through = x.topology.riskShardOf(key.accountId);
        for (let r = 0; r < x.riskShards.length; r++) {
          const mayDiffer = from.kind === 'market' && key.type !== RecordType.UpdateIndexPrice && r === through && (riskClocks[r] !== key.timeUs || deferred);
          if (!mayDiffer) assert.equal(after[markets + r], before[markets + r], `${label}: risk shard ${r} after ${codeName(answer.code as number)} from the ${from.kind} shard`);
        }
        refusedUnchanged++;
      }
    }

    const violations = [...moneyViolations(h), ...negativeOutsidePipeline(h, allowed), ...h.log.violations];
    assert.deepEqual(violations, [], label);
  }
  // The stream did what it is for: refusals of many kinds, a market that traded, liquidations under way
  // while hostile records arrived.
  assert.ok(codes.size >= 25, `seed ${seed}: only ${codes.size} distinct refusal codes: ${[...codes.keys()].map(codeName).join(' ')}`);
  assert.ok(refusedUnchanged > 500, `seed ${seed}: ${refusedUnchanged} refusals checked`);
  assert.ok(trades > 50, `seed ${seed}: ${trades} trades`);
  assert.ok(liquidationSteps > 0, `seed ${seed}: no liquidation`);
});

/** Every gateway record by source, and how many each command produced. */
interface Run {
  perCommand: number[];
  bySource: Map<string, DecodedRecord[]>;
}

function sourceKey(from: GatewaySource): string {
  return `${from.kind}${from.shard}`;
}

function inProcess(topology: Topology, stream: FuzzStream): { run: Run; x: InProcessExchange } {
  const x = new Exchange({ topology, riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)) });
  const run: Run = { perCommand: [], bySource: new Map() };
  let count = 0;
  x.onGateway((b, at, from) => {
    count++;
    const k = sourceKey(from);
    if (!run.bySource.has(k)) run.bySource.set(k, []);
    run.bySource.get(k)!.push(decodeRecord(b, at));
  });
  for (let i = 0; i < stream.length; i++) {
    count = 0;
    x.submitRecord(stream.records, stream.records.at(i));
    x.pump();
    run.perCommand.push(count);
  }
  return { run, x };
}

/** Every shard has consumed everything sent to it (its input rings are empty). */

async function threaded(topology: Topology, stream: FuzzStream, expected: readonly number[], seed: number): Promise<{ run: Run; hashes: { market: (bigint | undefined)[]; risk: (bigint | undefined)[] } }> {
  const x = await ThreadedExchange.start({ topology, riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)), ringCapacity: 1024 });
  const run: Run = { perCommand: [], bySource: new Map() };
  try {
    let count = 0;
    const listener = (b: RecordBuffer, at: number, from: GatewaySource) => {
      count++;
      const k = sourceKey(from);
      if (!run.bySource.has(k)) run.bySource.set(k, []);
      run.bySource.get(k)!.push(decodeRecord(b, at));
    };
    for (let i = 0; i < stream.length; i++) {
      count = 0;
      assert.ok(x.offer(stream.records, stream.records.at(i)), `seed ${seed}, command ${i}: a ring of 1024 holds one command's records`);
      x.flush();
      // One command at a time, as the in-process exchange took them: wait for exactly the records it
      // published for this one, and until every shard has handled what it was sent and published what
      // that produced (ThreadedExchange.drained; a mark a market shard sent a risk shard publishes nothing
      // there).
      const deadline = Date.now() + STALL_MS;
      for (;;) {
        assert.equal(x.failure, undefined, `seed ${seed}, command ${i}: a shard died`);
        assert.ok(Date.now() < deadline, `seed ${seed}, command ${i}: ${count} of ${expected[i]} records after ${STALL_MS} ms: stalled`);
        x.poll(listener);
        if (count >= expected[i]! && x.drained()) break;
        await x.waitForOutput(count < expected[i]! ? 5 : 1);
      }
      run.perCommand.push(count);
    }
    const hashes = await x.stop();
    x.poll(listener);
    assert.equal(x.failure, undefined, `seed ${seed}`);
    return { run, hashes };
  } finally {
    await x.stop();
  }
}

test('fuzz: the threaded exchange, fed the same hostile stream, publishes the same records and reaches the same state hashes', async () => {
  const seed = testSeed('fuzz, threaded vs in-process');
  const stream = fuzzStream(seed, 1_500, 4);
  const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!]], riskShards: 1 });
  const local = inProcess(topology, stream);
  const remote = await threaded(topology, stream, local.run.perCommand, seed);
  assert.deepEqual(remote.run.perCommand, local.run.perCommand, `seed ${seed}: records per command`);
  for (const [source, records] of local.run.bySource) assert.deepEqual(remote.run.bySource.get(source), records, `seed ${seed}: the ${source} stream`);
  assert.deepEqual(remote.hashes.market, local.x.marketShards.map((s) => s.stateHash()), `seed ${seed}: market shards`);
  assert.deepEqual(remote.hashes.risk, local.x.riskShards.map((s) => s.stateHash()), `seed ${seed}: risk shards`);
});
