// The two ways to give the oracle a price without a venue of its own: an operator's call (which replaces
// the index until it expires or is cleared) and a feed pushed over MQTT by another process (a source
// among the others).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from '@msgpack/msgpack';
import { Code } from '../../../engine/codes.js';
import { IndexOrigin, IndexSourceStatus, IndexSourceVerdict } from '../../../engine/enums.js';
import { handleOperatorIndex } from '../../../gateway/oracle/operator-index.js';
import { OracleHarness } from './oracle-harness.js';

test("an operator's index replaces the computed one at once and in every cycle until it expires", async () => {
  const h = await OracleHarness.start();
  const ticks: bigint[] = [];
  h.oracle.onTick((t) => ticks.push(t.indexTicks));
  try {
    h.quoteAll();
    const set = handleOperatorIndex(h.oracle, 'POST', { market: 'BTC-PERP', price: '61000.5', holdSeconds: 60 });
    assert.equal(set.status, 200);
    assert.equal(set.body.indexTicks, '610005');
    assert.deepEqual(ticks, [610_005n], 'sent at once');
    const [held] = await h.oracle.runCycle();
    assert.deepEqual([held!.indexTicks, held!.origin, held!.stale], [610_005n, IndexOrigin.OPERATOR, false]);
    assert.ok(held!.samples.every((s) => s.status === IndexSourceStatus.OK && s.verdict === IndexSourceVerdict.OVERRIDDEN), 'the sources are still recorded');
    h.offsetUs += 61_000_000;
    h.quoteAll();
    const [after] = await h.oracle.runCycle();
    assert.deepEqual([after!.indexTicks, after!.origin], [600_006n, IndexOrigin.ORACLE]);
  } finally {
    await h.close();
  }
});

test("clearing an operator's index returns to the sources; bad calls change nothing and say why", async () => {
  const h = await OracleHarness.start();
  try {
    h.quoteAll();
    handleOperatorIndex(h.oracle, 'POST', { market: 'BTC-PERP', price: '61000.5' });
    assert.deepEqual(handleOperatorIndex(h.oracle, 'DELETE', { market: 'BTC-PERP' }).body, { market: 'BTC-PERP', cleared: true });
    const [tick] = await h.oracle.runCycle();
    assert.equal(tick!.origin, IndexOrigin.ORACLE);
    const bad = (body: unknown, method = 'POST') => handleOperatorIndex(h.oracle, method, body);
    assert.deepEqual([bad({ market: 'DOGE-PERP', price: '1' }).status, bad({ market: 'DOGE-PERP', price: '1' }).body.error], [404, 'UNKNOWN_MARKET']);
    assert.equal(bad({ market: 'BTC-PERP', price: '61000.55' }).body.error, 'PRICE_NOT_ON_TICK');
    assert.equal(bad({ market: 'BTC-PERP', price: 61000 }).body.error, 'INVALID_NUMBER');
    assert.equal(bad({ market: 'BTC-PERP', price: '0' }).body.code, Code.PRICE_OUT_OF_RANGE);
    assert.equal(bad({ market: 'BTC-PERP', price: '1', holdSeconds: 0 }).body.error, 'INVALID_NUMBER');
    assert.equal(bad('[]').status, 400);
    assert.equal(bad({ market: 'BTC-PERP' }, 'PUT').status, 405);
    const [still] = await h.oracle.runCycle();
    assert.equal(still!.origin, IndexOrigin.ORACLE, 'no bad call set anything');
  } finally {
    await h.close();
  }
});

test('a feed pushed over MQTT is one more source: JSON or msgpack, its own time, bad messages refused', async () => {
  const h = await OracleHarness.start({ extra: [{ mqtt: 'perpx/v1/feeds/BTC-PERP/desk', weight: 3 }] });
  try {
    h.quoteAll();
    const [pushed] = h.oracle.pushedSources();
    const [before] = await h.oracle.runCycle();
    assert.deepEqual([before!.samples[4]!.status, before!.samples[4]!.verdict], [IndexSourceStatus.NO_UPDATE, IndexSourceVerdict.NO_PRICE]);
    // weight 3 of 7 at 60,003.0 (above the other four): cumulative 1, 2, 3, 4 of 7 at 60,002.1 → that one
    pushed!.offer(Buffer.from(JSON.stringify({ price: '60003.0', timeMs: h.nowMs() })));
    const [json] = await h.oracle.runCycle();
    assert.deepEqual([json!.samples[4]!.status, json!.samples[4]!.priceTicks, json!.indexTicks], [IndexSourceStatus.OK, 600_030n, 600_021n]);
    pushed!.offer(encode({ price: '59990.0', timeMs: h.nowMs() }));
    const [packed] = await h.oracle.runCycle();
    assert.equal(packed!.samples[4]!.priceTicks, 599_900n);
    // weight 3 at the bottom: cumulative 3, 4 of 7 → 59,999.1
    assert.equal(packed!.indexTicks, 599_991n);
    for (const junk of [Buffer.from('{"price": 6e4}'), Buffer.from('not json'), Uint8Array.of(0xc1), Buffer.from('{"price":"1","timeMs":"yesterday"}')]) pushed!.offer(junk);
    assert.equal(pushed!.refused, 4);
    assert.equal(pushed!.last!.priceTicks, 599_900n, 'the last good price stands');
  } finally {
    await h.close();
  }
});
