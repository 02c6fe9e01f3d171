// Outputs that skip (EventOutput.skip): a replay's streams drop the records their consumers already have,
// and the restore tool's and the replica's streams only count, so the risk shard numbers those records
// without composing them (risk-events.ts). Seqs and counters are state: a shard replayed through skipping
// outputs must reach the same state hash and stream positions as one whose outputs keep everything, and
// deliver exactly the records the latter wrote from where each stream's consumer stands.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { RECORD_BYTES, RecordBuffer } from '../../../engine/ring/record.js';
import { MemoryOutput, type EventOutput } from '../../../engine/shard/event-output.js';
import { InputStamp } from '../../../engine/shard/input-stamp.js';
import { ReplayOutput, replayRecords } from '../../../engine/shard/replay.js';
import { CountingOutput } from '../../../exchange/journal-replay.js';
import { DEFAULT_POOL, riskMarket } from '../../../risk/shard/config.js';
import { LiquidationEngine } from '../../../risk/shard/liquidation-engine.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { RecordType } from '../../../engine/ring/types.js';
import { testSeed } from '../../support/seed.js';
import { recordedInputs } from './random-stream.js';

const MARKETS = DEFAULT_MARKETS.map((m) => riskMarket(m));

function shardOver(gateway: EventOutput, market: EventOutput): RiskShard {
  return new RiskShard(0, 1, MARKETS, DEFAULT_POOL, () => 0, gateway, [market], (s, e) => new LiquidationEngine(s, e, DEFAULT_POOL));
}

/** The bytes of records [from, to) of a memory output. */
function bytesOf(out: MemoryOutput, from: number, to = out.length): Uint8Array {
  return out.records.u8.slice(from * RECORD_BYTES, to * RECORD_BYTES);
}

function typesOf(out: MemoryOutput): Set<number> {
  const types = new Set<number>();
  for (let i = 0; i < out.length; i++) types.add(out.records.type(out.offsetOf(i)));
  return types;
}

test('a risk shard replayed through skipping outputs reaches the same state and delivers the same records as through real ones', () => {
  const seed = testSeed('skipping outputs');
  const { inputs, records } = recordedInputs(seed, 800);
  const count = inputs.length;
  const log = (n: number, from = 0): { records: RecordBuffer; inputs: Uint16Array; count: number; firstPosition: number } => ({
    records: new RecordBuffer(records.u8.buffer.slice(from * RECORD_BYTES, (from + n) * RECORD_BYTES)),
    inputs: Uint16Array.from(inputs.slice(from, from + n)),
    count: n,
    firstPosition: from,
  });

  // Reference: outputs that keep every record, so every record is composed.
  const refGateway = new MemoryOutput();
  const refMarket = new MemoryOutput();
  const reference = shardOver(refGateway, refMarket);
  replayRecords(reference, new InputStamp(), log(count));
  const hash = reference.stateHash();
  const gatewayTypes = typesOf(refGateway);
  for (const t of [RecordType.AccountUpdated, RecordType.PositionUpdated, RecordType.FillSettled, RecordType.OrderRejected]) assert.ok(gatewayTypes.has(t), `seed ${seed}: the stream wrote no record of type ${t}`);

  // The restore tool's and the replica's outputs: they only count.
  const counted = shardOver(new CountingOutput(), new CountingOutput());
  replayRecords(counted, new InputStamp(), log(count));
  assert.equal(counted.stateHash(), hash, `seed ${seed}: counting outputs`);
  assert.deepEqual(counted.streamPositions(), reference.streamPositions(), `seed ${seed}: counting outputs`);

  // A recovery: the log's first `split` records replayed with each stream delivering from where its
  // consumer stands (Infinity: the gateway's, which passes nothing), then live records.
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: count }),
      fc.option(fc.integer({ min: 1, max: refGateway.length + 1 }), { nil: Infinity }),
      fc.integer({ min: 1, max: refMarket.length + 1 }),
      (split, gatewayFrom, marketFrom) => {
        const innerGateway = new MemoryOutput(1024, gatewayFrom === Infinity ? 1 : gatewayFrom);
        const innerMarket = new MemoryOutput(1024, marketFrom);
        const gateway = new ReplayOutput(innerGateway, gatewayFrom);
        const market = new ReplayOutput(innerMarket, marketFrom);
        const shard = shardOver(gateway, market);
        replayRecords(shard, new InputStamp(), log(split));
        const gatewayLive = gateway.nextSeq;
        const marketLive = market.nextSeq;
        gateway.finish();
        market.finish();
        replayRecords(shard, new InputStamp(), log(count - split, split));
        assert.equal(shard.stateHash(), hash);
        assert.deepEqual(shard.streamPositions(), reference.streamPositions());
        // Seqs run from 1, so the first record delivered is record (first seq − 1) of the reference.
        const firstGateway = Math.min(gatewayFrom, gatewayLive) - 1;
        const firstMarket = Math.min(marketFrom, marketLive) - 1;
        assert.deepEqual(bytesOf(innerGateway, 0), bytesOf(refGateway, firstGateway), 'gateway records delivered');
        assert.deepEqual(bytesOf(innerMarket, 0), bytesOf(refMarket, firstMarket), 'market records delivered');
      },
    ),
    { seed, numRuns: 40 },
  );
});
