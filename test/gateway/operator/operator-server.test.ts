// The operator HTTP server end to end over a real threaded exchange: health, readiness and metrics open
// to scrapers; operator calls authenticated by bearer token and checked by role; a deposit credited
// through the risk shard and answered with the new wallet; every /operator call in the audit log, with
// who, what, when and the outcome, and no credential anywhere in it; a market listed over HTTP served at once.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { AuditLog } from '../../../gateway/operator/audit-log.js';
import { ADMIN, startHarness, VIEWER, type Harness } from './operator-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test('healthz and metrics answer without credentials; readyz follows readiness', async () => {
  assert.deepEqual((await h.call('GET', '/healthz')).body, { status: 'ok' });
  assert.equal((await h.call('GET', '/readyz')).status, 200);
  h.readiness.value = { ready: false, reasons: ['risk shard 0 replaying'] };
  const r = await h.call('GET', '/readyz');
  assert.equal(r.status, 503);
  assert.deepEqual(r.body.reasons, ['risk shard 0 replaying']);
  h.readiness.value = { ready: true, reasons: [] };
  const m = await h.call('GET', '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.text, /# TYPE perpx_ring_depth_records gauge/);
  assert.match(m.text, /perpx_ring_depth_records\{shard="risk0",direction="in"\} 0/);
  assert.match(m.text, /perpx_shard_inputs_handled\{shard="market1"\}/);
});

test('operator calls need a valid token and the role', async () => {
  const none = await h.call('GET', '/operator/markets');
  assert.equal(none.status, 401);
  assert.equal(none.body.error, 'UNAUTHENTICATED');
  assert.equal((await h.call('GET', '/operator/markets', { token: 'not-a-real-token-at-all' })).status, 401);
  const list = await h.call('GET', '/operator/markets', { token: VIEWER });
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.map((m: { symbol: string; marketShard: number }) => [m.symbol, m.marketShard]),
    [
      ['BTC-PERP', 0],
      ['ETH-PERP', 1],
    ],
  );
  const forbidden = await h.call('POST', '/operator/deposits', { token: VIEWER, body: { account: 5, requestId: 1, amount: '10' } });
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.body.error, 'OPERATOR_FORBIDDEN');
});

test('a deposit is credited by the risk shard; its retry is refused DUPLICATE_REQUEST; bad input changes nothing', async () => {
  const ok = await h.call('POST', '/operator/deposits', { token: ADMIN, body: { account: 7, requestId: 100, amount: '1000.5' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.wallet, '1000.500000');
  const again = await h.call('POST', '/operator/deposits', { token: ADMIN, body: { account: 7, requestId: 100, amount: '1000.5' } });
  assert.equal(again.status, 409);
  assert.equal(again.body.error, 'DUPLICATE_REQUEST');
  for (const body of [{ account: 7, requestId: 2 ** 52, amount: "1" }, { account: 7, requestId: 101, amount: 5 }, { account: 7, requestId: 101, amount: '0.0000001' }, { account: -1, requestId: 101, amount: '1' }, { account: 7, requestId: 0, amount: '1' }, { account: 7, requestId: 101, amount: '-3' }]) {
    const r = await h.call('POST', '/operator/deposits', { token: ADMIN, body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error, 'OPERATOR_BAD_REQUEST');
  }
  assert.equal((await h.call('POST', '/operator/deposits', { token: ADMIN, raw: '{not json' })).status, 400);
  assert.equal((await h.call('POST', '/operator/deposits', { token: ADMIN, raw: JSON.stringify({ pad: 'x'.repeat(70_000) }) })).status, 413);
  // Nothing above reached the account: a second deposit shows only the first was credited.
  const next = await h.call('POST', '/operator/deposits', { token: ADMIN, body: { account: 7, requestId: 102, amount: '1' } });
  assert.equal(next.body.wallet, '1001.500000');
  const m = (await h.call('GET', '/metrics')).text;
  assert.match(m, /perpx_rejects_total\{code="DUPLICATE_REQUEST"\} 1/);
  assert.match(m, /perpx_events_total\{type="AccountUpdated"\} 2/);
});

test('halting a market: the market shard refuses new orders until it resumes; the listing says so', async () => {
  const status = async () => (await h.call('GET', '/operator/markets', { token: VIEWER })).body.map((m: { status: string }) => m.status);
  assert.deepEqual(await status(), ['open', 'open']);
  assert.equal((await h.call('POST', '/operator/markets/BTC-PERP/halt', { token: VIEWER })).status, 403);
  const halt = await h.call('POST', '/operator/markets/BTC-PERP/halt', { token: ADMIN });
  assert.equal(halt.status, 200, halt.text);
  assert.deepEqual(halt.body, { market: 'BTC-PERP', status: 'halted' });
  assert.deepEqual(await status(), ['halted', 'open']);
  const refused = () => h.metrics.text().then((m) => Number(/perpx_rejects_total\{code="MARKET_HALTED"\} (\d+)/.exec(m)?.[1] ?? 0));
  assert.equal(await refused(), 0);
  // Account 7 was funded above; its order reaches the market shard, which refuses it.
  await h.placeOrder(7, 1, 599_000);
  assert.equal(await refused(), 1);
  assert.equal((await h.call('POST', '/operator/markets/BTC-PERP/resume', { token: ADMIN })).status, 200);
  assert.deepEqual(await status(), ['open', 'open']);
  await h.placeOrder(7, 2, 599_000);
  assert.equal(await refused(), 1);
  assert.match(await h.metrics.text(), /perpx_events_total\{type="OrderAccepted"\} 1/);
});

test('what the exchange does not hold or run is refused with the reason', async () => {
  assert.equal((await h.call('POST', '/operator/markets/DOGE-PERP/halt', { token: ADMIN })).status, 404);
  const index = await h.call('POST', '/operator/index', { token: ADMIN, body: { market: 'BTC-PERP', price: '60000' } });
  assert.equal(index.status, 409);
  assert.equal(index.body.error, 'OPERATOR_UNAVAILABLE');
  assert.equal((await h.call('GET', '/operator/nothing-here', { token: ADMIN })).status, 404);
});

test('a market body is checked before anything is offered: a wrong field is 400 by name, a taken symbol 409, a missing role 403', async () => {
  const SOL = { symbol: 'SOL-PERP', tickSize: '0.001', lotSize: '0.1' };
  const wrong = await h.call('POST', '/operator/markets', { token: ADMIN, body: { market: { ...SOL, tickSize: 5 } } });
  assert.equal(wrong.status, 400);
  assert.deepEqual([wrong.body.error, wrong.body.field], ['OPERATOR_BAD_REQUEST', 'market.tickSize']);
  assert.match(wrong.body.message, /^market\.tickSize must be/);
  const tier = await h.call('POST', '/operator/markets', { token: ADMIN, body: { market: SOL, risk: { tiers: [{ hiNotionalAtoms: '1', maxLeverage: 'x', imrRate: '1', mmrRate: '1' }] } } });
  assert.deepEqual([tier.status, tier.body.field], [400, 'risk.tiers[0].maxLeverage']);
  const taken = await h.call('POST', '/operator/markets', { token: ADMIN, body: { market: { ...SOL, symbol: 'BTC-PERP' } } });
  assert.deepEqual([taken.status, taken.body.error, taken.body.field], [409, 'MARKET_EXISTS', 'market.symbol']);
  assert.equal((await h.call('POST', '/operator/markets', { token: VIEWER, body: { market: SOL } })).status, 403);
  assert.equal((await h.call('POST', '/operator/markets', { body: { market: SOL } })).status, 401);
  assert.equal(h.markets.size, 2, 'nothing refused was listed');
  const { entries } = await AuditLog.read(h.auditPath);
  assert.ok(entries.some((e) => e.path === '/operator/markets' && e.outcome === 'MARKET_EXISTS' && e.status === 409 && e.operator === 'admin'));
});

test('a market listed over HTTP is served at once: listed, halted and resumed through its owning shard', async () => {
  const made = await h.call('POST', '/operator/markets', { token: ADMIN, body: { market: { symbol: 'SOL-PERP', tickSize: '0.01', lotSize: '0.1' } } });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual([made.body.marketId, made.body.symbol, made.body.marketShard, made.body.mark], [3, 'SOL-PERP', 0, null]);
  assert.equal(h.exchange.topology.marketShardOf(3), 0, 'the exchange routes to the owner');
  const halt = await h.call('POST', '/operator/markets/SOL-PERP/halt', { token: ADMIN });
  assert.deepEqual([halt.status, halt.body], [200, { market: 'SOL-PERP', status: 'halted' }], 'the owner answered the halt');
  const listed = (await h.call('GET', '/operator/markets', { token: VIEWER })).body as { symbol: string; status: string }[];
  assert.deepEqual(listed.map((m) => [m.symbol, m.status]), [['BTC-PERP', 'open'], ['ETH-PERP', 'open'], ['SOL-PERP', 'halted']]);
  assert.equal((await h.call('POST', '/operator/markets/SOL-PERP/resume', { token: ADMIN })).status, 200);
  const again = await h.call('POST', '/operator/markets', { token: ADMIN, body: { market: { symbol: 'SOL-PERP', tickSize: '0.01', lotSize: '0.1' } } });
  assert.deepEqual([again.status, again.body.error], [409, 'MARKET_EXISTS'], 'a repeat of a call that succeeded');
});

test('every operator call is in the audit log, in order, with who, what, when and outcome, and no token', async () => {
  const { entries, torn } = await AuditLog.read(h.auditPath);
  assert.equal(torn, 0);
  assert.deepEqual(
    entries.map((e) => e.seq),
    entries.map((_, i) => i + 1),
  );
  const first = entries[0]!;
  assert.equal(first.operator, null);
  assert.equal(first.path, '/operator/markets');
  assert.equal(first.outcome, 'UNAUTHENTICATED');
  const deposit = entries.find((e) => e.path === '/operator/deposits' && e.outcome === 'ok')!;
  assert.equal(deposit.operator, 'admin');
  assert.deepEqual(deposit.body, { account: 7, requestId: 100, amount: '1000.5' });
  assert.ok(entries.some((e) => e.outcome === 'DUPLICATE_REQUEST' && e.status === 409));
  assert.ok(entries.some((e) => e.outcome === 'OPERATOR_FORBIDDEN' && e.operator === 'viewer'));
  assert.ok(entries.every((e) => e.atUs > 1_600_000_000_000_000));
  // Health, readiness and metrics are not operator calls.
  assert.ok(!entries.some((e) => e.path === '/metrics' || e.path === '/healthz'));
  const file = readFileSync(h.auditPath, 'utf8');
  assert.ok(!file.includes(ADMIN) && !file.includes(VIEWER));
  assert.ok(!h.logLines.join('').includes(ADMIN));
  assert.ok(h.logLines.some((l) => JSON.parse(l).msg === 'operator call'));
});
