// The operator routes of surveillance: authorization first (no operator 401, missing role 403), then
// listing with filters, one alert with its evidence, the case report, and audited actions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlertBook } from '../../exchange/surveillance/alert-book.js';
import { MemoryAlertStorage } from '../../exchange/surveillance/alert-storage.js';
import { alertMessage, ALERT_TOPIC_ROOT } from '../../gateway/surveillance/alert-topic.js';
import { PREFIX, Role, surveillanceRoutes, type Operator, type OperatorRequest } from '../../gateway/surveillance/operator-routes.js';
import { Code } from '../../engine/codes.js';
import { DetectorId } from '../../risk/surveillance/alert.js';
import { sampleAlerts } from '../exchange/sample-alerts.js';

const reader: Operator = { id: 'ops-read', roles: [Role.READ] };
const officer: Operator = { id: 'ops-officer', roles: [Role.READ, Role.ACT] };
const nobody: Operator = { id: 'ops-other', roles: ['market-data:read'] };

async function setup() {
  const book = new AlertBook(new MemoryAlertStorage());
  const alerts = sampleAlerts();
  for (const a of alerts) await book.ingest(a);
  let clock = 1_700_000_000_000_000;
  const route = surveillanceRoutes(book, () => clock++);
  const call = (method: string, path: string, operator: Operator | undefined, body?: unknown, query = '') =>
    route({ method, path, query: new URLSearchParams(query), body, operator } satisfies OperatorRequest);
  return { book, alerts, call };
}

/** A refusal in the operator server's shape: the status, and {error, code, message} with a registered code. */
function assertRefused(r: { status: number; body: string } | undefined, status: number, code: keyof typeof Code, message?: RegExp): void {
  assert.equal(r?.status, status);
  const body = JSON.parse(r!.body) as { error: string; code: number; message: string };
  assert.deepEqual([body.error, body.code], [code, Code[code]]);
  if (message) assert.match(body.message, message);
}

test('refusals carry the operator server\'s registered codes (docs/OPERATOR.md), never names of their own', async () => {
  const { alerts, call } = await setup();
  const id = encodeURIComponent(alerts[0]!.id);
  assertRefused(await call('GET', `${PREFIX}/alerts`, undefined), 401, 'UNAUTHENTICATED');
  assertRefused(await call('GET', `${PREFIX}/alerts`, nobody), 403, 'OPERATOR_FORBIDDEN', /surveillance:read/);
  assertRefused(await call('POST', `${PREFIX}/alerts/${id}/escalate`, reader, { note: 'x' }), 403, 'OPERATOR_FORBIDDEN', /surveillance:act/);
  assertRefused(await call('GET', `${PREFIX}/alerts`, reader, undefined, 'detector=teleport'), 400, 'OPERATOR_BAD_REQUEST', /detector must be one of/);
  assertRefused(await call('POST', `${PREFIX}/alerts/${id}/acknowledge`, officer, {}), 400, 'OPERATOR_BAD_REQUEST', /note/);
  assertRefused(await call('POST', `${PREFIX}/alerts/${id}/acknowledge`, officer, { note: '  ' }), 400, 'OPERATOR_BAD_REQUEST', /note of 1 to/);
  assertRefused(await call('GET', `${PREFIX}/alerts/nope`, reader), 404, 'OPERATOR_NOT_FOUND', /no alert nope/);
  assertRefused(await call('POST', `${PREFIX}/alerts/nope/acknowledge`, officer, { note: 'x' }), 404, 'OPERATOR_NOT_FOUND');
  assertRefused(await call('DELETE', `${PREFIX}/alerts/${id}`, officer), 404, 'OPERATOR_NOT_FOUND', /no route DELETE/);
});

test('without operator credentials every surveillance route answers 401', async () => {
  const { alerts, call } = await setup();
  for (const [m, p] of [
    ['GET', `${PREFIX}/alerts`],
    ['GET', `${PREFIX}/alerts/${alerts[0]!.id}`],
    ['GET', `${PREFIX}/alerts/${alerts[0]!.id}/report`],
    ['POST', `${PREFIX}/alerts/${alerts[0]!.id}/acknowledge`],
  ] as const) {
    const r = await call(m, p, undefined, { note: 'x' });
    assert.equal(r?.status, 401, `${m} ${p}`);
  }
});

test('an operator without the surveillance roles gets 403; a reader may read but not act', async () => {
  const { alerts, book, call } = await setup();
  assert.equal((await call('GET', `${PREFIX}/alerts`, nobody))?.status, 403);
  assert.equal((await call('GET', `${PREFIX}/alerts`, reader))?.status, 200);
  const r = await call('POST', `${PREFIX}/alerts/${alerts[0]!.id}/escalate`, reader, { note: 'escalate it' });
  assert.equal(r?.status, 403);
  assert.equal((await book.get(alerts[0]!.id))!.actions.length, 0);
});

test('the list filters by detector and rejects a bad filter with the reason', async () => {
  const { call } = await setup();
  const r = await call('GET', `${PREFIX}/alerts`, reader, undefined, 'detector=spoofing&limit=10');
  assert.equal(r?.status, 200);
  const body = JSON.parse(r!.body) as { total: number; alerts: { detector: string }[] };
  assert.ok(body.total >= 1 && body.alerts.every((a) => a.detector === DetectorId.SPOOFING));
  const bad = await call('GET', `${PREFIX}/alerts`, reader, undefined, 'detector=teleport');
  assert.equal(bad?.status, 400);
  assert.match(bad!.body, /detector must be one of/);
  assert.equal((await call('GET', `${PREFIX}/alerts`, reader, undefined, 'minScore=-3'))?.status, 400);
});

test('every list filter of the query reaches the book: market, account, from, to, minScore, status, limit, offset', async () => {
  const { call, book, alerts } = await setup();
  const ids = async (query: string) => {
    const r = await call('GET', `${PREFIX}/alerts`, reader, undefined, query);
    assert.equal(r?.status, 200, query);
    return (JSON.parse(r!.body) as { alerts: { id: string }[] }).alerts.map((a) => a.id);
  };
  const all = await ids('');
  assert.equal(all.length, alerts.length);
  await book.act(alerts[1]!.id, 'acknowledge', 'ops', 'seen', 1);
  const [first, second] = [...alerts].sort((a, b) => a.fromUs - b.fromUs);
  const lowScore = Math.min(...alerts.map((a) => a.score));
  const account = alerts[2]!.accounts[0]!;
  const cases: [string, string[]][] = [
    [`market=${alerts[0]!.marketId}`, all],
    [`market=${alerts[0]!.marketId + 1}`, []],
    [`account=${account}`, alerts.filter((a) => a.accounts.includes(account)).map((a) => a.id)],
    [`from=${second!.fromUs}`, book.list({ fromUs: second!.fromUs }).alerts.map((a) => a.id)],
    [`to=${first!.toUs}`, book.list({ toUs: first!.toUs }).alerts.map((a) => a.id)],
    [`minScore=${lowScore + 1}`, alerts.filter((a) => a.score > lowScore).map((a) => a.id)],
    ['status=acknowledged', [alerts[1]!.id]],
    ['limit=1', all.slice(0, 1)],
    ['offset=1', all.slice(1)],
  ];
  for (const [query, expected] of cases) assert.deepEqual((await ids(query)).sort(), [...expected].sort(), query);
  // Each narrowing case really narrows the sample (so a filter ignored would fail it).
  for (const [query, expected] of cases.slice(1)) assert.ok(expected.length < all.length, `${query} narrows the sample`);
  for (const q of ['account=x', 'from=1.5', 'to=-1', 'status=closed', 'limit=0', 'offset=-2']) assert.equal((await call('GET', `${PREFIX}/alerts`, reader, undefined, q))?.status, 400, q);
});

test('one alert comes with its orders and trades in input order, and the case report is a self-contained page with a chart', async () => {
  const { alerts, call } = await setup();
  const spoof = alerts.find((a) => a.detector === DetectorId.SPOOFING)!;
  const r = await call('GET', `${PREFIX}/alerts/${encodeURIComponent(spoof.id)}`, reader);
  assert.equal(r?.status, 200);
  const c = JSON.parse(r!.body) as { alert: typeof spoof; status: string };
  assert.equal(c.status, 'open');
  assert.deepEqual(c.alert, spoof);
  const seqs = c.alert.orders.map((o) => o.acceptedSeq);
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
  const page = await call('GET', `${PREFIX}/alerts/${encodeURIComponent(spoof.id)}/report`, reader);
  assert.equal(page?.status, 200);
  assert.match(page!.contentType, /text\/html/);
  assert.match(page!.body, /<svg[^>]*>/);
  assert.match(page!.body, /<path d="M/); // the touch drawn as step lines
  assert.doesNotMatch(page!.body, /<script|src=|href="http/);
  assert.ok(page!.body.includes(`records ${spoof.fromSeq} to ${spoof.toSeq}`));
  assert.equal((await call('GET', `${PREFIX}/alerts/nope`, reader))?.status, 404);
});

test('an officer acknowledges and escalates with a note; the actions are recorded with who and when; no note is 400', async () => {
  const { alerts, call, book } = await setup();
  const id = alerts[0]!.id;
  assert.equal((await call('POST', `${PREFIX}/alerts/${id}/acknowledge`, officer, {}))?.status, 400);
  const ok = await call('POST', `${PREFIX}/alerts/${id}/acknowledge`, officer, { note: 'reviewed' });
  assert.equal(ok?.status, 200);
  await call('POST', `${PREFIX}/alerts/${id}/escalate`, officer, { note: 'to compliance' });
  const actions = (await book.get(id))!.actions;
  assert.deepEqual(actions.map((a) => [a.kind, a.operator, a.note]), [
    ['acknowledge', 'ops-officer', 'reviewed'],
    ['escalate', 'ops-officer', 'to compliance'],
  ]);
  assert.ok(actions[1]!.atUs > actions[0]!.atUs);
});

test('other paths are not surveillance routes', async () => {
  const { call } = await setup();
  assert.equal(await call('GET', '/operator/other', officer), undefined);
});

test('the operator MQTT message of an alert names its detector in the topic and leaves the evidence out', () => {
  const a = sampleAlerts()[0]!;
  const m = alertMessage(a);
  assert.equal(m.topic, `${ALERT_TOPIC_ROOT}/${a.detector}`);
  assert.equal(m.qos, 1);
  const payload = JSON.parse(new TextDecoder().decode(m.payload)) as Record<string, unknown>;
  assert.equal(payload.id, a.id);
  assert.ok(!('orders' in payload) && !('touches' in payload));
  assert.deepEqual(payload.evidence, { orders: a.orders.length, trades: a.trades.length });
});
