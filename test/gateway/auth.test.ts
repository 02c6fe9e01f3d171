// Authentication and authorization probes: signatures, windows, nonces, scopes, address allowlists,
// revoked keys, signed order entry, and another account's orders, which must look exactly like orders
// that do not exist. Keys and accounts persist in the gateway's store, and every change is audited.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { canonicalBytes, signBytes } from '../../gateway/auth/signing.js';
import { KeyRegistry } from '../../gateway/auth/key-registry.js';
import { PerpxClient } from '../../gateway/client/client.js';
import { generateEd25519 } from '../../gateway/client/keys.js';
import { nowUs } from '../../gateway/clock.js';
import { harnessPerFile, MID, type Trader } from './support/harness.js';

let alice: Trader;
let bob: Trader;
const ctx = harnessPerFile(2, (ts) => ([alice, bob] = ts as [Trader, Trader]));

async function loginWith(creds: { keyId: string; alg: 'ed25519' | 'hmac-sha256'; secret: Uint8Array }, edit: (m: Record<string, unknown>) => void = () => {}) {
  const c = await PerpxClient.connect(ctx.h.url);
  const ts = nowUs();
  const nonce = randomBytes(8).toString('hex');
  const m: Record<string, unknown> = { keyId: creds.keyId, ts, nonce, sig: signBytes(creds.alg, creds.secret, canonicalBytes('login', creds.keyId, ts, nonce, {})) };
  edit(m);
  const r = await c.request('login', m);
  return { c, r };
}

test('a correct Ed25519 login works; a wrong signature, an unknown key and a wrong seed all give AUTH_FAILED', async () => {
  const good = await loginWith(alice.creds);
  assert.equal(good.r.ok, true);
  assert.equal((good.r.data as { accountId: number }).accountId, alice.accountId);
  const flipped = await loginWith(alice.creds, (m) => ((m['sig'] as Uint8Array)[0]! ^= 1));
  const unknown = await loginWith({ ...alice.creds, keyId: 'k000000000000000000000000' });
  const wrongSeed = await loginWith({ ...alice.creds, secret: generateEd25519().seed });
  for (const x of [flipped, unknown, wrongSeed]) {
    assert.equal(x.r.error?.code, Code.AUTH_FAILED);
    assert.equal(x.r.error?.message, 'authentication failed', 'the same words whatever failed');
  }
  for (const x of [good, flipped, unknown, wrongSeed]) await x.c.close();
});

test('the client logs in with the seed as the hex text npm start -- --demo prints, and refuses text that is not hex before sending', async () => {
  const c = await PerpxClient.connect(ctx.h.url);
  const hex = Buffer.from(alice.creds.secret).toString('hex');
  assert.equal((await c.login({ ...alice.creds, secret: hex })).accountId, alice.accountId);
  assert.equal((await c.openOrders()).orders.length >= 0, true, 'signed in: a read works');
  await c.close();
  const d = await PerpxClient.connect(ctx.h.url);
  for (const bad of ['xyz', hex.slice(1), '']) await assert.rejects(d.login({ ...alice.creds, secret: bad }), /secret: bytes, or hex text/);
  assert.equal((await d.request('openOrders')).error?.code, Code.UNAUTHENTICATED, 'nothing was sent as a login');
  await d.close();
});

test('a timestamp outside the receive window is refused; a replayed nonce is refused', async () => {
  const old = await loginWith(alice.creds, (m) => {
    const ts = nowUs() - 6_000_000;
    m['ts'] = ts;
    m['sig'] = signBytes('ed25519', alice.creds.secret, canonicalBytes('login', alice.creds.keyId, ts, m['nonce'] as string, {}));
  });
  assert.equal(old.r.error?.code, Code.TIMESTAMP_OUTSIDE_WINDOW);
  assert.equal(old.r.error?.retryable, true);
  const ts = nowUs();
  const frame = { keyId: alice.creds.keyId, ts, nonce: 'once', sig: signBytes('ed25519', alice.creds.secret, canonicalBytes('login', alice.creds.keyId, ts, 'once', {})) };
  const first = await PerpxClient.connect(ctx.h.url);
  const second = await PerpxClient.connect(ctx.h.url);
  assert.equal((await first.request('login', frame)).ok, true);
  assert.equal((await second.request('login', frame)).error?.code, Code.NONCE_REPLAYED);
  await Promise.all([old.c.close(), first.close(), second.close()]);
});

test('an HMAC key logs in; its signature is checked in constant time against the stored secret', async () => {
  const t = await ctx.h.trader({ alg: 'hmac-sha256', usdt: 0n });
  assert.equal(t.login.accountId, t.accountId);
  const bad = await loginWith({ ...t.creds, secret: randomBytes(32) });
  assert.equal(bad.r.error?.code, Code.AUTH_FAILED);
  await bad.c.close();
});

test('before login only public operations are served; a second login is refused', async () => {
  const c = await PerpxClient.connect(ctx.h.url);
  assert.equal((await c.request('place', { market: 1, side: 'buy', type: 'limit', price: MID, qty: 1 })).error?.code, Code.UNAUTHENTICATED);
  assert.equal((await c.request('openOrders')).error?.code, Code.UNAUTHENTICATED);
  assert.equal((await c.request('markets')).ok, true);
  assert.equal((await c.request('ping')).ok, true);
  await c.close();
  const again = await alice.client.request('login', { keyId: alice.creds.keyId, ts: nowUs(), nonce: 'x', sig: new Uint8Array(64) });
  assert.equal(again.error?.code, Code.ALREADY_AUTHENTICATED);
});

test('a read-only key can query but not trade; a new key is read-only unless granted more', async () => {
  const pair = generateEd25519();
  const { keyId } = await ctx.h.gateway.keys.createKey('test', { accountId: alice.accountId, publicKey: pair.publicKey });
  assert.deepEqual(ctx.h.gateway.keys.describe(keyId)?.scopes, ['read']);
  const c = await PerpxClient.connect(ctx.h.url);
  await c.login({ keyId, alg: 'ed25519', secret: pair.seed });
  assert.equal((await c.request('openOrders')).ok, true);
  assert.equal((await c.request('place', { market: 1, side: 'buy', type: 'limit', price: MID - 10, qty: 1 })).error?.code, Code.SCOPE_REQUIRED);
  assert.equal((await c.request('cancelAll')).error?.code, Code.SCOPE_REQUIRED);
  await c.close();
});

test('an IP allowlist refuses other addresses with AUTH_FAILED; a revoked key can no longer log in', async () => {
  const pair = generateEd25519();
  const { keyId } = await ctx.h.gateway.keys.createKey('test', { accountId: alice.accountId, publicKey: pair.publicKey, ipAllowlist: ['10.1.2.3'] });
  const far = await loginWith({ keyId, alg: 'ed25519', secret: pair.seed });
  assert.equal(far.r.error?.code, Code.AUTH_FAILED);
  await ctx.h.gateway.keys.setIpAllowlist('test', keyId, ['127.0.0.1']);
  const near = await loginWith({ keyId, alg: 'ed25519', secret: pair.seed });
  assert.equal(near.r.ok, true);
  await ctx.h.gateway.keys.revokeKey('test', keyId);
  const revoked = await loginWith({ keyId, alg: 'ed25519', secret: pair.seed });
  assert.equal(revoked.r.error?.code, Code.AUTH_FAILED);
  await Promise.all([far.c.close(), near.c.close(), revoked.c.close()]);
});

test('revoking a key or taking the address off its allowlist ends the sessions already logged in with it (4009); a narrowed scope holds from the next request', async () => {
  const pair = generateEd25519();
  const keys = ctx.h.gateway.keys;
  const { keyId } = await keys.createKey('test', { accountId: alice.accountId, publicKey: pair.publicKey, scopes: ['read', 'trade'] });
  const session = async () => {
    const c = await PerpxClient.connect(ctx.h.url);
    await c.login({ keyId, alg: 'ed25519', secret: pair.seed });
    const closed = new Promise<number>((r) => c.once('close', (code) => r(code)));
    return { c, closed };
  };
  const order = { market: 1, side: 'buy', type: 'limit', price: MID - 900, qty: 1 };
  const a = await session();
  const placed = await a.c.request('place', order);
  assert.equal(placed.ok, true, JSON.stringify(placed.error));
  await keys.setScopes('test', keyId, ['read']);
  assert.equal((await a.c.request('place', order)).error?.code, Code.SCOPE_REQUIRED, 'the narrowed scope holds at once');
  assert.equal((await a.c.request('openOrders')).ok, true, 'what the key still may do, it does');
  await keys.setIpAllowlist('test', keyId, ['10.9.9.9']);
  assert.equal(await a.closed, 4009, 'this address is no longer allowed: the session ends AUTH_FAILED');
  await keys.setIpAllowlist('test', keyId, []);
  const b = await session();
  const events: string[] = [];
  b.c.on('user', (e) => events.push(e.kind));
  await keys.revokeKey('test', keyId);
  assert.equal(await b.closed, 4009, 'a revoked key: its sessions end');
  await alice.client.cancelAll();
  assert.deepEqual(events, [], 'no more of the account\'s user stream on the revoked key');
  assert.equal((await alice.client.ping()).serverUs > 0, true, 'other sessions of the account stay');
});

test('a key created with signOrders needs a signature on order entry, and the client signs for it', async () => {
  const t = await ctx.h.trader({ signOrders: true });
  const placed = await t.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 700, qty: 1 });
  assert.ok(placed.orderId > 0);
  const raw = await PerpxClient.connect(ctx.h.url);
  await raw.login({ ...t.creds, signOrders: false });
  assert.equal((await raw.request('place', { market: 1, side: 'buy', type: 'limit', price: MID - 700, qty: 1 })).error?.code, Code.SIGNATURE_REQUIRED);
  const ts = nowUs();
  const fields = { market: 1, side: 'buy', type: 'limit', price: MID - 700, qty: 1 };
  const sig = signBytes('ed25519', t.creds.secret, canonicalBytes('place', t.creds.keyId, ts, 'n1', fields));
  assert.equal((await raw.request('place', { ...fields, qty: 2, ts, nonce: 'n1', sig })).error?.code, Code.AUTH_FAILED, 'a signature over other values');
  assert.equal((await raw.request('place', { ...fields, ts, nonce: 'n1', sig })).ok, true);
  assert.equal((await raw.request('place', { ...fields, ts, nonce: 'n1', sig })).error?.code, Code.NONCE_REPLAYED);
  await t.client.cancelAll();
  await raw.close();
});

test('another account’s order is indistinguishable from one that does not exist', async () => {
  const mine = await alice.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 800, qty: 1, clientOrderId: 4242 });
  const probes = [
    await bob.client.request('cancel', { market: 1, orderId: mine.orderId }),
    await bob.client.request('cancel', { market: 1, orderId: 999_999_999 }),
    await bob.client.request('amend', { market: 1, orderId: mine.orderId, qty: 2 }),
    await bob.client.request('amend', { market: 1, orderId: 999_999_999, qty: 2 }),
    await bob.client.request('cancel', { market: 1, clientOrderId: 4242 }),
  ];
  for (const p of probes) {
    assert.equal(p.error?.code, Code.ORDER_NOT_FOUND);
    assert.equal(p.error?.message, 'ORDER_NOT_FOUND');
  }
  assert.deepEqual((await bob.client.openOrders()).orders, []);
  assert.ok(!(await bob.client.orderHistory()).orders.some((o) => o['orderId'] === mine.orderId));
  assert.deepEqual((await alice.client.openOrders()).orders.map((o) => o['orderId']), [mine.orderId], 'still open: no probe touched it');
  await alice.client.cancelAll();
});

test('keys, accounts and scopes persist in the store and every change is audited without secrets', async () => {
  const again = await KeyRegistry.open(ctx.h.store, nowUs);
  assert.equal(again.get(alice.creds.keyId)?.accountId, alice.accountId);
  assert.ok(again.hasAccount(bob.accountId));
  const entries = await again.auditEntries();
  const actions = new Set(entries.map((e) => e.action));
  for (const a of ['createAccount', 'createKey', 'setIpAllowlist', 'revokeKey', 'deposit']) assert.ok(actions.has(a), a);
  const text = JSON.stringify(entries);
  const hmac = await ctx.h.gateway.keys.createKey('test', { accountId: alice.accountId, alg: 'hmac-sha256' });
  const after = JSON.stringify(await ctx.h.gateway.keys.auditEntries());
  assert.ok(!after.includes(Buffer.from(hmac.secret!).toString('base64')) && !after.includes(Buffer.from(hmac.secret!).toString('hex')), 'no secret in the audit log');
  assert.ok(text.length > 0);
});
