// The operator routes for beneficial-owner links: authorization first, a declaration checked, stored
// (and so kept across a reload of the store) before it reaches the surveillance engine, a removal, and a
// 409 that leaves the link stored when the engine cannot take it now.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { MemoryAlertStorage } from '../../exchange/surveillance/alert-storage.js';
import { OwnerLinks, ownerHistory, ownerRecord } from '../../exchange/surveillance/owner-links.js';
import { PREFIX, Role, type Operator, type OperatorRequest } from '../../gateway/surveillance/operator-routes.js';
import { ownerRoutes } from '../../gateway/surveillance/owner-routes.js';
import { SurveillanceEngine } from '../../risk/surveillance/surveillance-engine.js';

const reader: Operator = { id: 'ops-read', roles: [Role.READ] };
const officer: Operator = { id: 'ops-officer', roles: [Role.READ, Role.ACT] };
const nobody: Operator = { id: 'ops-other', roles: ['exchange:read'] };

async function setup() {
  const storage = new MemoryAlertStorage();
  const owners = new OwnerLinks(storage);
  await owners.load();
  // The links go to a real surveillance engine, as main.ts's apply sends them to the workers' control input.
  const engine = new SurveillanceEngine(() => {});
  const buf = RecordBuffer.allocate(1);
  let open = true;
  let seq = 0;
  const apply = (accountId: number, ownerId: number): boolean => {
    if (!open) return false;
    ownerRecord(buf, accountId, ownerId);
    buf.setSeq(0, ++seq);
    engine.handle(buf, 0, 0);
    return true;
  };
  const route = ownerRoutes({ owners, apply, nowUs: () => 1_700_000_000_000_000 });
  const call = async (method: string, path: string, operator: Operator | undefined, body?: unknown, query = '') => {
    const r = await route({ method, path: PREFIX + path, query: new URLSearchParams(query), body, operator } satisfies OperatorRequest);
    return { status: r!.status, body: JSON.parse(r!.body) as any };
  };
  return { storage, owners, engine, call, setOpen: (v: boolean) => (open = v) };
}

test('owner links need an operator (401), the read role to list and the act role to declare (403)', async () => {
  const { call, engine } = await setup();
  assert.deepEqual((await call('GET', '/owners', undefined)).body.error, 'UNAUTHENTICATED');
  assert.deepEqual((await call('GET', '/owners', nobody)).status, 403);
  const r = await call('PUT', '/owners/6', reader, { owner: 42, note: 'same desk' });
  assert.deepEqual([r.status, r.body.error, r.body.code], [403, 'OPERATOR_FORBIDDEN', Code.OPERATOR_FORBIDDEN]);
  assert.equal(engine.owners.size, 0);
});

test('a declared link is stored, listed, and reaches the surveillance engine; owner 0 removes it', async () => {
  const { call, engine, storage } = await setup();
  for (const a of [6, 7]) {
    const r = await call('PUT', `/owners/${a}`, officer, { owner: 42, note: 'one beneficial owner (KYC case 17)' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.link, { accountId: a, ownerId: 42, operator: 'ops-officer', atUs: 1_700_000_000_000_000, note: 'one beneficial owner (KYC case 17)' });
  }
  await call('PUT', '/owners/9', officer, { owner: 43, note: 'another group' });
  assert.ok(engine.owners.linked(6, 7));
  assert.deepEqual((await call('GET', '/owners', reader, undefined, 'owner=42')).body.links.map((l: { accountId: number }) => l.accountId), [6, 7]);

  // A reload of the store (a restart) finds the same links in force.
  const again = new OwnerLinks(storage);
  await again.load();
  assert.deepEqual(again.pairs(), [[6, 42], [7, 42], [9, 43]]);

  assert.equal((await call('PUT', '/owners/7', officer, { owner: 0, note: 'not linked after all' })).status, 200);
  assert.ok(!engine.owners.linked(6, 7));
  assert.deepEqual((await call('GET', '/owners', reader)).body.links.map((l: { accountId: number }) => l.accountId), [6, 9]);
  const reloaded = new OwnerLinks(storage);
  await reloaded.load();
  assert.deepEqual(reloaded.pairs(), [[6, 42], [9, 43]]);
});

test('a bad declaration is refused with the reason and stores nothing', async () => {
  const { call, owners, engine } = await setup();
  for (const [path, body, reason] of [
    ['/owners/6', { owner: 42 }, /body must be/],
    ['/owners/6', { owner: '42', note: 'x' }, /body must be/],
    ['/owners/6', { owner: 42, note: '  ' }, /note of 1 to/],
    ['/owners/6', { owner: -1, note: 'x' }, /owner must be/],
    ['/owners/6', { owner: 1.5, note: 'x' }, /owner must be/],
    ['/owners/0', { owner: 42, note: 'x' }, /account must be/],
    ['/owners/4294967296', { owner: 42, note: 'x' }, /account must be/],
    ['/owners/abc', { owner: 42, note: 'x' }, /names an account/],
  ] as const) {
    const r = await call('PUT', path, officer, body);
    assert.deepEqual([r.status, r.body.error], [400, 'OPERATOR_BAD_REQUEST'], `${path} ${JSON.stringify(body)}`);
    assert.match(r.body.message, reason);
  }
  assert.deepEqual(owners.list(), []);
  assert.equal(engine.owners.size, 0);
});

test('when the engine cannot take a link now the answer is 409, the link stays stored, and the same call again applies it', async () => {
  const { call, owners, engine, setOpen } = await setup();
  setOpen(false);
  const r = await call('PUT', '/owners/6', officer, { owner: 42, note: 'same desk' });
  assert.deepEqual([r.status, r.body.error], [409, 'OPERATOR_UNAVAILABLE']);
  assert.deepEqual(owners.pairs(), [[6, 42]]);
  assert.equal(engine.owners.size, 0);
  setOpen(true);
  assert.equal((await call('PUT', '/owners/6', officer, { owner: 42, note: 'same desk' })).status, 200);
  assert.equal(engine.owners.owner(6), 42);
});

test('every declaration is kept in the owner log with the time it took effect, across a reload, in the order made', async () => {
  const { call, storage } = await setup();
  await call('PUT', '/owners/6', officer, { owner: 42, note: 'one owner' });
  await call('PUT', '/owners/7', officer, { owner: 42, note: 'one owner' });
  await call('PUT', '/owners/6', officer, { owner: 0, note: 'case closed' });
  const again = new OwnerLinks(storage);
  await again.load();
  const at = 1_700_000_000_000_000;
  assert.deepEqual(again.history(), [
    { accountId: 6, ownerId: 42, atUs: at },
    { accountId: 7, ownerId: 42, atUs: at },
    { accountId: 6, ownerId: 0, atUs: at },
  ]);
  assert.deepEqual(again.pairs(), [[7, 42]], 'in force: what a restarted worker is given');
  // Two declarations at once take one log entry each.
  await Promise.all([again.set({ accountId: 8, ownerId: 5, operator: 'o', atUs: at + 1, note: 'n' }), again.set({ accountId: 9, ownerId: 5, operator: 'o', atUs: at + 1, note: 'n' })]);
  assert.equal((await storage.loadOwnerLog()).length, 5);
});

test('a link stored before the owner log was kept counts from its own declaration in the history', () => {
  const link = (accountId: number, ownerId: number, atUs: number) => ({ accountId, ownerId, atUs, operator: 'o', note: 'n' });
  assert.deepEqual(ownerHistory([link(3, 9, 50), link(6, 42, 200)], [link(6, 1, 100), link(6, 42, 200)]), [
    { accountId: 3, ownerId: 9, atUs: 50 },
    { accountId: 6, ownerId: 1, atUs: 100 },
    { accountId: 6, ownerId: 42, atUs: 200 },
  ]);
});
