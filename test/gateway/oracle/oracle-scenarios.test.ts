// The oracle against venues on 127.0.0.1 answering in their real formats: the index is the weighted
// median of their mids, and each way a venue goes wrong (too slow, garbage, an HTTP error, far off, an old
// timestamp, all at once) is recorded for the source and kept out of the index as docs/RISK.md says.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IndexOrigin, IndexSourceStatus, IndexSourceVerdict } from '../../../engine/enums.js';
import { decodeRecord } from '../../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { encodeIndexTick } from '../../../gateway/oracle/index-tick.js';
import type { HttpIndexSource } from '../../../gateway/oracle/http-source.js';
import type { IndexRecoveredEvent, IndexStaleEvent } from '../../../gateway/oracle/oracle.js';
import { OracleHarness } from './oracle-harness.js';

const { OK, TIMEOUT, HTTP_ERROR, BAD_BODY, NETWORK_ERROR, IN_FLIGHT, COOLING_DOWN } = IndexSourceStatus;
const { USED, NO_PRICE, STALE, DEVIATED } = IndexSourceVerdict;

test('four venues in their own formats give the median of their mids, recorded source by source', async () => {
  const h = await OracleHarness.start();
  try {
    h.quoteAll();
    const [tick] = await h.oracle.runCycle();
    // sorted 599,991 / 600,001 / 600,011 / 600,021 ticks: the median is the mean of the middle two
    assert.equal(tick!.indexTicks, 600_006n);
    assert.equal(tick!.stale, false);
    assert.equal(tick!.sourcesUsed, 4);
    assert.equal(tick!.origin, IndexOrigin.ORACLE);
    assert.deepEqual(tick!.samples.map((s) => [s.label, s.status, s.verdict, s.priceTicks]), [
      ['binance:BTCUSDT', OK, USED, 600_001n],
      ['coinbase:BTC-USD', OK, USED, 600_011n],
      ['okx:BTC-USDT', OK, USED, 599_991n],
      ['bybit:BTCUSDT', OK, USED, 600_021n],
    ]);
    for (const s of tick!.samples) assert.ok(s.venueTimeUs > 0 && s.updatedUs <= s.receivedUs && s.receivedUs <= tick!.timeUs);

    // Into the market shard as one group: a RecordIndexSource per source, then the index that they explain.
    const buf = RecordBuffer.allocate(8);
    const n = encodeIndexTick(tick!, buf);
    const records = Array.from({ length: n }, (_, i) => decodeRecord(buf, buf.at(i)));
    assert.deepEqual(records.map((r) => r.type), ['RecordIndexSource', 'RecordIndexSource', 'RecordIndexSource', 'RecordIndexSource', 'UpdateIndexPrice']);
    assert.deepEqual(records.slice(0, 4).map((r) => [r.sourceId, r.status, r.verdict, r.priceTicks]), [[0, OK, USED, 600_001], [1, OK, USED, 600_011], [2, OK, USED, 599_991], [3, OK, USED, 600_021]]);
    assert.ok(records.every((r) => r.timeUs === tick!.timeUs && r.marketId === 1));
    assert.deepEqual([records[4]!.indexPriceTicks, records[4]!.stale, records[4]!.sourcesUsed, records[4]!.sourceCount, records[4]!.origin], [600_006, 0, 4, 4, IndexOrigin.ORACLE]);
  } finally {
    await h.close();
  }
});

test('a venue that does not answer in time is left running, never asked twice at once, and the index rests on the others', async () => {
  // Generous windows so the three quick venues always answer within one, however busy the machine.
  const h = await OracleHarness.start({ timeoutMs: 1_500, collectMs: 1_000 });
  try {
    h.quoteAll();
    h.server('okx').behaviour = { ...h.server('okx').behaviour, delayMs: 60_000 };
    const [first] = await h.oracle.runCycle();
    assert.equal(first!.samples[2]!.status, IN_FLIGHT);
    assert.equal(first!.samples[2]!.verdict, NO_PRICE);
    assert.equal(first!.indexTicks, 600_011n, 'median of the three that answered');
    const [second] = await h.oracle.runCycle();
    assert.equal(second!.samples[2]!.status, IN_FLIGHT);
    assert.equal(h.server('okx').requests, 1, 'no second request while the first runs');
    // The request's own timeout ends it; the next cycle asks again, still one at a time.
    const source = h.oracle.sourcesOf('BTC-PERP')[2] as HttpIndexSource;
    while (source.inFlight) await new Promise((r) => setTimeout(r, 20));
    assert.equal(h.oracle.sourcesOf('BTC-PERP')[2]!.status, TIMEOUT);
    await h.oracle.runCycle();
    assert.equal(h.server('okx').requests, 2);
    assert.equal(h.server('okx').maxInFlight, 1);
    assert.equal(h.server('binance').requests, 3);
  } finally {
    await h.close();
  }
});

test('garbage, an HTTP error and a dropped connection are recorded as such; only what may help is retried', async () => {
  const h = await OracleHarness.start({ venues: ['binance', 'coinbase', 'kraken', 'okx', 'bybit'], retries: 2 });
  try {
    h.quoteAll();
    h.quote('kraken', '60000.5', '60000.7');
    h.server('coinbase').behaviour = { body: '<html>502 Bad Gateway</html>' }; // 200 with garbage
    h.server('bybit').behaviour = { status: 503, body: '{"retCode":10006,"retMsg":"Too many visits!"}' };
    h.server('okx').behaviour = { status: 404, body: '{"code":"51001","msg":"Instrument ID does not exist","data":[]}' };
    h.server('binance').behaviour = { hangUp: true };
    const [tick] = await h.oracle.runCycle();
    const by = (label: string) => tick!.samples.find((s) => s.label.startsWith(label))!;
    assert.deepEqual([by('coinbase').status, by('bybit').status, by('okx').status, by('binance').status, by('kraken').status], [BAD_BODY, HTTP_ERROR, HTTP_ERROR, NETWORK_ERROR, OK]);
    assert.deepEqual([by('bybit').httpStatus, by('okx').httpStatus, by('coinbase').httpStatus], [503, 404, 200]);
    // 503 and a dropped connection are retried twice; a 404 and a garbage body are not asked again
    assert.deepEqual([h.server('bybit').requests, h.server('binance').requests, h.server('okx').requests, h.server('coinbase').requests], [3, 3, 1, 1]);
    assert.equal(tick!.stale, true, 'one source of the minimum three');
    assert.equal(tick!.sourcesUsed, 1);
  } finally {
    await h.close();
  }
});

test('a venue drifting far from the others is left out as DEVIATED', async () => {
  const h = await OracleHarness.start();
  try {
    h.quoteAll();
    h.quote('bybit', '70000.0', '70000.2'); // 16.7% above the rest
    const [tick] = await h.oracle.runCycle();
    assert.deepEqual(tick!.samples.map((s) => s.verdict), [USED, USED, USED, DEVIATED]);
    assert.equal(tick!.indexTicks, 600_001n, 'the median of the other three');
    assert.equal(tick!.sourcesUsed, 3);
  } finally {
    await h.close();
  }
});

test('a venue whose own timestamp is older than the staleness is left out as STALE', async () => {
  const h = await OracleHarness.start();
  try {
    h.quoteAll();
    h.quote('coinbase', '60001.0', '60001.2', { timeMs: h.nowMs() - 60_000 }); // last trade a minute ago
    const [tick] = await h.oracle.runCycle();
    assert.equal(tick!.samples[1]!.status, OK);
    assert.equal(tick!.samples[1]!.verdict, STALE);
    assert.equal(tick!.samples[1]!.updatedUs, tick!.samples[1]!.venueTimeUs);
    assert.equal(tick!.indexTicks, 600_001n);
  } finally {
    await h.close();
  }
});

test('all venues going stale at once make the index stale (an event, a metric), and it recovers', async () => {
  const h = await OracleHarness.start();
  const stale: IndexStaleEvent[] = [];
  const recovered: IndexRecoveredEvent[] = [];
  h.oracle.onStale((e) => stale.push(e));
  h.oracle.onRecovered((e) => recovered.push(e));
  const gauge = async () => (await h.oracle.registry.getSingleMetric('perpx_index_stale')!.get()).values.find((v) => v.labels.market === 'BTC-PERP')?.value;
  try {
    h.quoteAll();
    const [fresh] = await h.oracle.runCycle();
    assert.equal(fresh!.stale, false);
    // Every venue now answers with the prices it had 11 s ago: nothing within the 10 s staleness.
    h.offsetUs += 11_000_000;
    for (const v of ['binance', 'coinbase', 'okx', 'bybit'] as const) h.server(v).behaviour = { status: 503, body: '{}' };
    const [dead] = await h.oracle.runCycle();
    assert.deepEqual([dead!.stale, dead!.indexTicks, dead!.sourcesUsed], [true, 0n, 0]);
    assert.deepEqual(dead!.samples.map((s) => [s.status, s.verdict]), Array(4).fill([HTTP_ERROR, STALE]));
    assert.equal(stale.length, 1);
    assert.equal(stale[0]!.timeUs, dead!.timeUs);
    assert.equal(await gauge(), 1);
    await h.oracle.runCycle();
    assert.equal(stale.length, 1, 'one event when it starts, not one per stale tick');

    h.quoteAll();
    const [back] = await h.oracle.runCycle();
    assert.equal(back!.stale, false);
    assert.equal(recovered.length, 1);
    assert.equal(recovered[0]!.indexTicks, 600_006n);
    assert.ok(recovered[0]!.staleForUs > 0 && recovered[0]!.staleForUs === back!.timeUs - dead!.timeUs);
    assert.equal(await gauge(), 0);
    const transitions = (await h.oracle.registry.getSingleMetric('perpx_index_stale_transitions_total')!.get()).values;
    assert.deepEqual(transitions.map((v) => [v.labels.to, v.value]).sort(), [['fresh', 1], ['stale', 1]]);
  } finally {
    await h.close();
  }
});

test('a venue failing again and again rests (with jitter) instead of being asked every cycle', async () => {
  const h = await OracleHarness.start({ cooldownAfter: 2, retries: 0 });
  try {
    h.quoteAll();
    h.server('bybit').behaviour = { status: 500, body: '{}' };
    await h.oracle.runCycle();
    await h.oracle.runCycle();
    assert.equal(h.server('bybit').requests, 2);
    const [third] = await h.oracle.runCycle();
    assert.equal(third!.samples[3]!.status, COOLING_DOWN);
    assert.equal(h.server('bybit').requests, 2, 'resting: not asked');
    // 60 s base with equal jitter at 0.5: rests 45 s; after that it is asked again, and one success ends it.
    h.offsetUs += 45_000_000;
    h.quoteAll();
    const [fourth] = await h.oracle.runCycle();
    assert.equal(fourth!.samples[3]!.status, OK);
    assert.equal(h.server('bybit').requests, 3);
  } finally {
    await h.close();
  }
});

test('the cadence runs cycles by itself until stopped', async () => {
  const h = await OracleHarness.start({ collectMs: 50 });
  try {
    h.quoteAll();
    await h.oracle.runCycle(); // connections open, every source has a price
    const ticks: bigint[] = [];
    h.oracle.onTick((t) => ticks.push(t.indexTicks));
    (h.oracle.options.config as { cadenceMs: number }).cadenceMs = 100;
    h.oracle.start();
    while (ticks.length < 2) await new Promise((r) => setTimeout(r, 20));
    await h.oracle.stop();
    const seen = ticks.length;
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(ticks.length, seen, 'no cycle after stop');
    assert.deepEqual(ticks.slice(0, 2), [600_006n, 600_006n]);
  } finally {
    await h.close();
  }
});
