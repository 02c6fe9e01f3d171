// The risk shard's number fast paths against its bigint reference (pool.numberFastPath = false): the same
// input records must give byte-identical output streams and the same state hash, for ordinary streams
// (a real market shard matching random orders) and for crafted streams whose balances, prices and
// positions pass the number range, so the guards send work to bigint mid-stream.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { DEFAULT_POOL, riskMarket, type RiskPoolConfig } from '../../../risk/shard/config.js';
import { LiquidationEngine } from '../../../risk/shard/liquidation-engine.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { MarginMode } from '../../../risk/shard/state.js';
import { decodeAll, type Cmd } from '../../support/commands.js';
import { adjustIsolatedMargin, deposit, fundingRateApplied, markPriceUpdated, setLeverage, setMarginMode, tradeExecuted } from '../../support/risk-commands.js';
import { rng, testSeed } from '../../support/seed.js';
import { recordedInputs } from './random-stream.js';

const MARKETS = DEFAULT_MARKETS.map((m) => riskMarket(m));

interface Recorded {
  records: RecordBuffer;
  inputs: number[];
}

function shard(pool: RiskPoolConfig): { shard: RiskShard; gateway: MemoryOutput; market: MemoryOutput } {
  const gateway = new MemoryOutput();
  const market = new MemoryOutput();
  const s = new RiskShard(0, 1, MARKETS, pool, () => 0, gateway, [market], (st, e) => new LiquidationEngine(st, e, pool));
  return { shard: s, gateway, market };
}

/** Replays the records into a fast-path shard and a bigint one; asserts identical outputs and hashes. */
function assertSameAsBigint(rec: Recorded, pool: RiskPoolConfig, label: string): RiskShard {
  const fast = shard({ ...pool, numberFastPath: true });
  const big = shard({ ...pool, numberFastPath: false });
  for (let i = 0; i < rec.inputs.length; i++) {
    fast.shard.handle(rec.records, rec.records.at(i), rec.inputs[i]!);
    big.shard.handle(rec.records, rec.records.at(i), rec.inputs[i]!);
  }
  assert.equal(fast.gateway.length, big.gateway.length, `${label}: gateway event count`);
  assert.deepEqual(decodeAll(fast.gateway), decodeAll(big.gateway), label);
  assert.deepEqual(decodeAll(fast.market), decodeAll(big.market), label);
  assert.equal(fast.shard.stateHash(), big.shard.stateHash(), label);
  return fast.shard;
}

test('on random order flow through a real market shard the fast path writes the same events and reaches the same state hash as bigint', () => {
  const seed = testSeed('number fast path, random flow');
  assertSameAsBigint(recordedInputs(seed, 800), DEFAULT_POOL, `seed ${seed}`);
});

test('the number fast path is on by default and values ordinary flow, and off it values nothing', () => {
  // The comparison above would pass with the fast path switched off (bigint against bigint): this one
  // fails then. Everyday balances and prices fit the number range, so nearly every scope takes it.
  const seed = testSeed('number fast path, taken');
  const rec = recordedInputs(seed, 400);
  const on = shard(DEFAULT_POOL);
  const off = shard({ ...DEFAULT_POOL, numberFastPath: false });
  for (let i = 0; i < rec.inputs.length; i++) {
    on.shard.handle(rec.records, rec.records.at(i), rec.inputs[i]!);
    off.shard.handle(rec.records, rec.records.at(i), rec.inputs[i]!);
  }
  for (const [part, on_, off_] of [['valuer', on.shard.parts.valuer, off.shard.parts.valuer], ['evaluator', on.shard.parts.evaluator, off.shard.parts.evaluator]] as const) {
    assert.ok(on_.numberScopes > 0, `seed ${seed}: the ${part} took the number path ${on_.numberScopes} times`);
    assert.ok(on_.numberScopes >= 20 * on_.bigintScopes, `seed ${seed}: the ${part} fell back to bigint ${on_.bigintScopes} of ${on_.numberScopes + on_.bigintScopes} times`);
    assert.equal(off_.numberScopes, 0, `seed ${seed}: the ${part} with the fast path off`);
    assert.ok(off_.bigintScopes > 0, `seed ${seed}: the ${part} valued scopes with the fast path off`);
  }
});

/**
 * Account commands and market events straight into the shard, with magnitudes from everyday to past
 * 2^53: wallets up to 2^60 atoms, marks and trade prices up to 2^45 ticks, fills up to 2^30 lots.
 */
function crafted(seed: number, steps: number): Recorded {
  const next = rng(seed);
  const pick = (n: number): number => next() % n;
  const wide = (bits: number): number => Math.floor(2 ** (pick(bits * 100) / 100));
  const cmds: [Cmd, number][] = [];
  const seqs = [0, 0];
  const accounts = 6;
  let request = 1;
  let order = 1;
  let tradeId = 1;
  for (let a = 1; a <= accounts; a++) cmds.push([deposit(a, BigInt(wide(40)) * 1_000_000n, request++), 0]);
  cmds.push([markPriceUpdated(1, 600_000), 1], [markPriceUpdated(2, 300_000), 1]);
  for (let step = 0; step < steps; step++) {
    const a = 1 + pick(accounts);
    const marketId = 1 + pick(2);
    const r = pick(100);
    if (r < 50) {
      const maker = 1 + ((a + pick(accounts - 1)) % accounts);
      const priceTicks = pick(4) === 0 ? wide(45) : 300_000 + pick(600_000);
      cmds.push([tradeExecuted({ taker: a, maker, takerSide: pick(2) === 0 ? Side.BUY : Side.SELL, priceTicks: Math.max(1, priceTicks), qtyLots: 1 + wide(pick(5) === 0 ? 30 : 12), takerOrderId: order++, makerOrderId: order++, tradeId: tradeId++, marketId }), 1]);
    } else if (r < 70) cmds.push([markPriceUpdated(marketId, Math.max(1, pick(5) === 0 ? wide(45) : 300_000 + pick(600_000))), 1]);
    else if (r < 78) cmds.push([deposit(a, BigInt(wide(60)), request++), 0]);
    else if (r < 84) cmds.push([setLeverage(a, 1 + pick(50), marketId), 0]);
    else if (r < 89) cmds.push([setMarginMode(a, pick(2) === 0 ? MarginMode.ISOLATED : MarginMode.CROSS, marketId), 0]);
    else if (r < 94) cmds.push([adjustIsolatedMargin(a, BigInt(wide(50)) * (pick(2) === 0 ? 1n : -1n), request++, marketId), 0]);
    else cmds.push([fundingRateApplied(marketId, BigInt(pick(200_000)) - 100_000n, 300_000 + pick(600_000)), 1]);
  }
  const records = RecordBuffer.allocate(cmds.length);
  const inputs = cmds.map(([cmd, input], i) => {
    encodeRecord(records, records.at(i), cmd.layout, { ...cmd.header, seq: ++seqs[input]! }, cmd.body);
    return input;
  });
  return { records, inputs };
}

test('balances, prices and positions past the number range take the bigint path with the same results', () => {
  const seed = testSeed('number fast path, past the range');
  const pool = { ...DEFAULT_POOL, maxWalletAtoms: 1n << 62n };
  const fast = assertSameAsBigint(crafted(seed, 1_500), pool, `seed ${seed}`);
  // The stream did leave the number range somewhere (a wallet past 2^53 lives in its bigint slot).
  const past = [...fast.state.accounts.values()].some((a) => Number.isNaN(a.walletN));
  assert.ok(past, `seed ${seed}: no wallet passed 2^53`);
});
