// Accounts and API keys over operator HTTP (gateway/operator/account-routes.ts): the calls a trader's
// onboarding goes through, each audited in the key registry's trail, each refusal with a reason.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyRegistry } from '../../../gateway/auth/key-registry.js';
import { generateEd25519 } from '../../../gateway/client/keys.js';
import { accountRoutes } from '../../../gateway/operator/account-routes.js';
import { OperatorRole } from '../../../gateway/operator/tokens.js';
import type { OperatorRequest } from '../../../gateway/surveillance/operator-routes.js';
import { MemoryStore } from '../../../persistence/memory-store.js';

const admin = { id: 'onboarding', roles: [OperatorRole.ACCOUNTS] };
const req = (method: string, path: string, body?: unknown, operator: OperatorRequest['operator'] = admin): OperatorRequest => ({ method, path, query: new URLSearchParams(), body, operator });
const answer = (r: { status: number; body: string } | undefined) => ({ status: r!.status, body: JSON.parse(r!.body) as Record<string, unknown> });

test('an operator creates an account and an Ed25519 key for it, reads it back without a secret, and revokes it; each change audited', async () => {
  const keys = await KeyRegistry.open(new MemoryStore(), () => 1_000);
  const route = accountRoutes(() => keys);
  const acc = answer(await route(req('POST', '/operator/accounts', { label: 'desk 7' })));
  assert.equal(acc.status, 200);
  const accountId = acc.body.accountId as number;
  const pair = generateEd25519();
  const made = answer(await route(req('POST', '/operator/keys', { account: accountId, publicKey: Buffer.from(pair.publicKey).toString('hex'), scopes: ['read', 'trade'] })));
  assert.equal(made.status, 200, JSON.stringify(made.body));
  const keyId = made.body.keyId as string;
  assert.equal(made.body.secret, undefined, 'an Ed25519 key has no secret to show');
  const shown = answer(await route(req('GET', `/operator/keys/${keyId}`)));
  assert.deepEqual({ account: shown.body.accountId, scopes: shown.body.scopes, revoked: shown.body.revoked, material: shown.body.material }, { account: accountId, scopes: ['read', 'trade'], revoked: false, material: undefined });
  assert.equal(answer(await route(req('DELETE', `/operator/keys/${keyId}`))).status, 200);
  assert.equal(keys.describe(keyId)!.revoked, true);
  const trail = await keys.auditEntries();
  assert.deepEqual(trail.map((e) => [e.by, e.action]), [['onboarding', 'createAccount'], ['onboarding', 'createKey'], ['onboarding', 'revokeKey']]);
});

test('an HMAC key shows its secret once; a key is read-only unless scopes say more', async () => {
  const keys = await KeyRegistry.open(new MemoryStore(), () => 1_000);
  const route = accountRoutes(() => keys);
  const accountId = answer(await route(req('POST', '/operator/accounts'))).body.accountId as number;
  const made = answer(await route(req('POST', '/operator/keys', { account: accountId, alg: 'hmac-sha256' })));
  assert.match(made.body.secret as string, /^[0-9a-f]{64}$/);
  assert.deepEqual(keys.describe(made.body.keyId as string)!.scopes, ['read']);
  assert.equal(JSON.stringify(await keys.auditEntries()).includes(made.body.secret as string), false, 'the secret is not in the audit trail');
});

test('refusals: no credentials, no role, gateway not open, bad fields, unknown account or scope, unknown key', async () => {
  const keys = await KeyRegistry.open(new MemoryStore(), () => 1_000);
  const route = accountRoutes(() => keys);
  assert.equal(answer(await route({ ...req('POST', '/operator/accounts', {}), operator: undefined })).status, 401);
  assert.equal(answer(await route(req('POST', '/operator/accounts', {}, { id: 'reader', roles: [OperatorRole.READ] }))).status, 403);
  assert.equal(answer(await accountRoutes(() => undefined)(req('POST', '/operator/accounts'))).status, 503);
  const accountId = answer(await route(req('POST', '/operator/accounts'))).body.accountId as number;
  for (const [body, why] of [
    [{ account: 0 }, /account must be/],
    [{ account: accountId, publicKey: 'abc' }, /publicKey must be/],
    [{ account: accountId, alg: 'rsa' }, /alg must be/],
    [{ account: accountId, scopes: 'trade' }, /scopes must be/],
    [{ account: accountId + 100, alg: 'hmac-sha256' }, /no account/],
    [{ account: accountId, alg: 'hmac-sha256', scopes: ['admin'] }, /no scope/],
    [{ account: accountId }, /needs the trader’s 32-byte public key/],
  ] as const) {
    const r = answer(await route(req('POST', '/operator/keys', body)));
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(r.body.message as string, why);
  }
  const missing = answer(await route(req('DELETE', '/operator/keys/knothere')));
  assert.deepEqual([missing.status, missing.body.error], [404, 'OPERATOR_NOT_FOUND']);
  assert.equal(keys.list().length, 0, 'no refused call made a key');
  assert.equal(await route(req('GET', '/operator/markets')), undefined, 'other paths are left to other routers');
});

test('an operator changes a key\'s scopes and IP allowlist (audited); bad changes and changes to a revoked key are refused and change nothing', async () => {
  const keys = await KeyRegistry.open(new MemoryStore(), () => 1_000);
  const route = accountRoutes(() => keys);
  const accountId = answer(await route(req('POST', '/operator/accounts'))).body.accountId as number;
  const keyId = answer(await route(req('POST', '/operator/keys', { account: accountId, alg: 'hmac-sha256' }))).body.keyId as string;
  const granted = answer(await route(req('PATCH', `/operator/keys/${keyId}`, { scopes: ['read', 'trade', 'withdraw'] })));
  assert.equal(granted.status, 200, JSON.stringify(granted.body));
  assert.deepEqual(granted.body.scopes, ['read', 'trade', 'withdraw']);
  const pinned = answer(await route(req('PATCH', `/operator/keys/${keyId}`, { ipAllowlist: ['10.0.0.7'], scopes: ['read'] })));
  assert.deepEqual([pinned.body.scopes, pinned.body.ipAllowlist], [['read'], ['10.0.0.7']]);
  assert.deepEqual(keys.describe(keyId)!.scopes, ['read']);
  for (const [body, why] of [
    [{}, /scopes, ipAllowlist or both/],
    [{ scopes: 'trade' }, /scopes must be a list/],
    [{ scopes: ['admin'] }, /no scope/],
    [{ ipAllowlist: [7] }, /ipAllowlist must be a list/],
    [{ scopes: ['read'], signOrders: true }, /only scopes and ipAllowlist change \(not signOrders\)/],
  ] as const) {
    const r = answer(await route(req('PATCH', `/operator/keys/${keyId}`, body)));
    assert.deepEqual([r.status, r.body.error], [400, 'OPERATOR_BAD_REQUEST'], JSON.stringify(body));
    assert.match(r.body.message as string, why);
  }
  assert.deepEqual([keys.describe(keyId)!.scopes, keys.describe(keyId)!.ipAllowlist], [['read'], ['10.0.0.7']], 'refused changes changed nothing');
  assert.equal(answer(await route(req('PATCH', '/operator/keys/knothere', { scopes: ['read'] }))).status, 404);
  assert.equal(answer(await route(req('PATCH', `/operator/keys/${keyId}`, { scopes: ['read'] }, { id: 'reader', roles: [OperatorRole.READ] }))).status, 403);
  await route(req('DELETE', `/operator/keys/${keyId}`));
  assert.match(answer(await route(req('PATCH', `/operator/keys/${keyId}`, { scopes: ['read', 'trade'] }))).body.message as string, /revoked/);
  const trail = (await keys.auditEntries()).map((e) => [e.by, e.action]);
  assert.deepEqual(trail.slice(2), [['onboarding', 'setScopes'], ['onboarding', 'setScopes'], ['onboarding', 'setIpAllowlist'], ['onboarding', 'revokeKey']]);
});
