// Surveillance's operator routes over the real operator HTTP server, as `npm start -- --surveillance`
// mounts them: a bearer token authenticates, its roles authorize (none 401, a token without the role 403),
// the list and one alert read, acknowledge and escalate act, and every call, refused or not, is in the
// append-only audit log with who, what (the note), when and the outcome, never the token.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Writable } from 'node:stream';
import { AlertBook } from '../../exchange/surveillance/alert-book.js';
import { MemoryAlertStorage } from '../../exchange/surveillance/alert-storage.js';
import { createLogger } from '../../gateway/log.js';
import { AuditLog } from '../../gateway/operator/audit-log.js';
import { ExchangeMetrics } from '../../gateway/operator/metrics.js';
import { OperatorServer } from '../../gateway/operator/server.js';
import { OperatorRole, OperatorTokens } from '../../gateway/operator/tokens.js';
import { PREFIX, Role, surveillanceRoutes } from '../../gateway/surveillance/operator-routes.js';
import { sampleAlerts } from '../exchange/sample-alerts.js';

const OFFICER = 'officer-token-0123456789abcdef';
const READER = 'reader-token-0123456789abcdef';
const MARKETS_ONLY = 'markets-token-0123456789abcdef';

let dir: string;
let server: OperatorServer;
let audit: AuditLog;
let url: string;
const alerts = sampleAlerts();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perpx-surv-http-'));
  const book = new AlertBook(new MemoryAlertStorage());
  for (const a of alerts) await book.ingest(a);
  audit = await AuditLog.open(join(dir, 'audit.log'));
  let clock = 1_700_000_000_000_000;
  server = new OperatorServer({
    tokens: OperatorTokens.of([
      { id: 'officer', token: OFFICER, roles: [Role.READ, Role.ACT] },
      { id: 'reader', token: READER, roles: [Role.READ] },
      { id: 'markets', token: MARKETS_ONLY, roles: [OperatorRole.READ] },
    ]),
    audit,
    metrics: new ExchangeMetrics(() => undefined, { processMetrics: false }),
    routers: [surveillanceRoutes(book, () => clock++)],
    readiness: () => ({ ready: true, reasons: [] }),
    alive: () => true,
    nowUs: () => clock++,
    log: await createLogger({ pretty: false, destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
  });
  url = `http://127.0.0.1:${(await server.listen(0)).port}`;
});

after(async () => {
  await server.close();
  await audit.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}

test('no token, a wrong token, or a token without the surveillance roles is refused; nothing changes', async () => {
  const id = encodeURIComponent(alerts[0]!.id);
  for (const token of [undefined, 'not-a-token-0123456789abcdef']) {
    const r = await call('GET', `${PREFIX}/alerts`, token);
    assert.deepEqual([r.status, r.body.error, r.body.code], [401, 'UNAUTHENTICATED', 6001]);
  }
  const r = await call('GET', `${PREFIX}/alerts`, MARKETS_ONLY);
  assert.deepEqual([r.status, r.body.error], [403, 'OPERATOR_FORBIDDEN']);
  const act = await call('POST', `${PREFIX}/alerts/${id}/escalate`, READER, { note: 'not mine to escalate' });
  assert.deepEqual([act.status, act.body.error], [403, 'OPERATOR_FORBIDDEN']);
  const one = await call('GET', `${PREFIX}/alerts/${id}`, READER);
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.actions, []);
});

test('a reader lists with filters and reads one alert and its case report; an officer acknowledges and escalates', async () => {
  const list = await call('GET', `${PREFIX}/alerts?detector=spoofing`, READER);
  assert.equal(list.status, 200);
  assert.ok(list.body.total >= 1 && list.body.alerts.every((a: { detector: string }) => a.detector === 'spoofing'));
  const id = encodeURIComponent(list.body.alerts[0].id);
  const report = await call('GET', `${PREFIX}/alerts/${id}/report`, READER);
  assert.equal(report.status, 200);
  assert.match(report.body, /<svg/);
  assert.equal((await call('POST', `${PREFIX}/alerts/${id}/acknowledge`, OFFICER, { note: 'looked at it' })).status, 200);
  assert.equal((await call('POST', `${PREFIX}/alerts/${id}/escalate`, OFFICER, { note: 'to compliance' })).status, 200);
  const one = await call('GET', `${PREFIX}/alerts/${id}`, READER);
  assert.deepEqual(
    one.body.actions.map((a: { kind: string; operator: string; note: string }) => [a.kind, a.operator, a.note]),
    [
      ['acknowledge', 'officer', 'looked at it'],
      ['escalate', 'officer', 'to compliance'],
    ],
  );
});

test('every surveillance call is in the audit log with who, what, when and outcome, and no token', async () => {
  const { entries, torn } = await AuditLog.read(join(dir, 'audit.log'));
  assert.equal(torn, 0);
  const surv = entries.filter((e) => e.path.startsWith(PREFIX));
  assert.equal(surv.length, entries.length);
  assert.ok(surv.some((e) => e.operator === null && e.outcome === 'UNAUTHENTICATED'));
  assert.ok(surv.some((e) => e.operator === 'markets' && e.outcome === 'OPERATOR_FORBIDDEN' && e.status === 403));
  assert.ok(surv.some((e) => e.operator === 'reader' && e.method === 'POST' && e.outcome === 'OPERATOR_FORBIDDEN'));
  const escalated = surv.find((e) => e.operator === 'officer' && e.path.endsWith('/escalate'))!;
  assert.deepEqual([escalated.status, escalated.outcome, escalated.body], [200, 'ok', { note: 'to compliance' }]);
  assert.ok(surv.every((e) => e.atUs >= 1_700_000_000_000_000));
  const file = readFileSync(join(dir, 'audit.log'), 'utf8');
  for (const token of [OFFICER, READER, MARKETS_ONLY]) assert.ok(!file.includes(token));
});
