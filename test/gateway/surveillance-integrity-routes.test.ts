// The venue integrity statistics reach operators: the reports the engine makes (the day so far each
// minute, then the complete day) are kept per market per day, a day-so-far report never replaces a later
// one or the complete day, they survive a reload of the store, and the route lists them by market and
// date for a reader only.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryAlertStorage } from '../../exchange/surveillance/alert-storage.js';
import { IntegrityReports } from '../../exchange/surveillance/integrity-reports.js';
import { integrityRoutes } from '../../gateway/surveillance/integrity-routes.js';
import { PREFIX, Role, type Operator, type OperatorRequest } from '../../gateway/surveillance/operator-routes.js';
import { DAY_US, IntegrityStats, type IntegrityReport } from '../../risk/surveillance/integrity/integrity-stats.js';

const reader: Operator = { id: 'ops-read', roles: [Role.READ] };
const nobody: Operator = { id: 'ops-other', roles: ['exchange:read'] };
/** 2026-12-07 in days since the epoch. */
const DAY = 20_794;

/** The reports of two markets' trades over two days, as the engine makes them, in the order it makes them. */
function engineReports(): IntegrityReport[] {
  const out: IntegrityReport[] = [];
  for (const market of [1, 2]) {
    const s = new IntegrityStats(market, (r) => out.push(r));
    for (let i = 0; i < 300; i++) s.trade(DAY * DAY_US + i * 1_000_000, 10 + (i % 7) * market);
    s.trade((DAY + 1) * DAY_US + 5_000_000, 100);
    s.trade((DAY + 1) * DAY_US + 65_000_000, 100);
  }
  return out;
}

test('integrity reports are kept per market per day, the newest of a day winning, and survive a reload', async () => {
  const storage = new MemoryAlertStorage();
  const reports = new IntegrityReports(storage);
  const made = engineReports();
  await Promise.all(made.map((r) => reports.put(r)));
  const held = reports.list();
  assert.deepEqual(
    held.map((r) => [r.marketId, r.day, r.complete, r.trades]),
    [
      [1, DAY, true, 300],
      [1, DAY + 1, false, 1],
      [2, DAY, true, 300],
      [2, DAY + 1, false, 1],
    ],
  );
  // A replay after a restart reports the day again from its start: an earlier day-so-far changes nothing.
  assert.equal(await reports.put(made[0]!), false);
  assert.equal(reports.list({ marketId: 1 })[0]!.complete, true);
  const again = new IntegrityReports(storage);
  await again.load();
  assert.deepEqual(again.list(), held);
});

test('the integrity route lists a market\'s days by date for a reader, and refuses others', async () => {
  const reports = new IntegrityReports(new MemoryAlertStorage());
  for (const r of engineReports()) await reports.put(r);
  const route = integrityRoutes(reports);
  const call = async (operator: Operator | undefined, query = '', method = 'GET') => {
    const r = await route({ method, path: PREFIX + '/integrity', query: new URLSearchParams(query), operator } satisfies OperatorRequest);
    return { status: r!.status, body: JSON.parse(r!.body) as any };
  };
  const all = await call(reader);
  assert.equal(all.status, 200);
  assert.equal(all.body.reports.length, 4);
  const one = await call(reader, 'market=2&from=2026-12-08&to=2026-12-08');
  assert.deepEqual(
    one.body.reports.map((r: IntegrityReport & { date: string }) => [r.date, r.marketId, r.day, r.complete]),
    [['2026-12-08', 2, DAY + 1, false]],
  );
  const day = (await call(reader, 'market=1&to=2026-12-07')).body.reports[0];
  assert.deepEqual(Object.keys(day.benford).sort(), ['chiSquareMilli', 'counts', 'madPpm', 'total']);
  assert.ok(Array.isArray(day.roundSizes) && typeof day.tail.alphaMilli === 'number');
  assert.equal((await call(undefined)).status, 401);
  assert.equal((await call(nobody)).status, 403);
  for (const q of ['market=x', 'from=2026-13-01', 'to=yesterday']) assert.deepEqual([(await call(reader, q)).status, (await call(reader, q)).body.error], [400, 'OPERATOR_BAD_REQUEST'], q);
});
