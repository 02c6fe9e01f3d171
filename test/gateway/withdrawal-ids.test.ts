// Withdrawals by withdrawalId over real WebSocket connections (issue #10, "Idempotent retries"): a repeat
// returns the first one's result (the amount and the account after it, or its refusal) and debits nothing
// more: in flight, after the answer, after a gateway restart, after a restart between the offer and the
// recorded answer. A repeat with another amount is WITHDRAWAL_ID_REUSED. Two accounts may use the same id.
//
// On main a withdrawal had no id of the client's: a retry after a lost answer was a second withdrawal
// (two debits), and a request naming withdrawalId was refused UNKNOWN_FIELD.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PerpxClient } from '../../gateway/client/client.js';
import type { GatewayError } from '../../gateway/client/types.js';
import { Family, pairKey } from '../../gateway/auth/gateway-keys.js';
import { harnessPerFile, USDT, type Trader } from './support/harness.js';

const ctx = harnessPerFile(0);

const wallet = async (c: PerpxClient): Promise<bigint> => (await c.balances()).balance!['wallet'] as bigint;
const refusal = (p: Promise<unknown>): Promise<number> => p.then(() => 0, (e: GatewayError) => e.code);
const withdrawer = (usdt = 100n): Promise<Trader> => ctx.h.trader({ scopes: ['read', 'trade', 'withdraw'], usdt });

test('a withdrawal sent twice (the retry of a client that lost the answer) debits once', async () => {
  const t = await withdrawer();
  const send = () => t.client.request('withdraw', { amount: 10n * USDT, withdrawalId: 41 });
  const [a, b] = [await send(), await send()];
  assert.deepEqual([a.ok, b.ok], [true, true]);
  assert.equal(await wallet(t.client), 90n * USDT, 'one debit');
});

test('a repeated withdrawalId returns the first result and debits once', async () => {
  const t = await withdrawer();
  const first = await t.client.withdraw(10n * USDT, 1);
  assert.equal(first.replayed, false);
  assert.equal(first.wallet, 90n * USDT);
  assert.equal(first.amount, 10n * USDT);
  assert.equal(first.withdrawalId, 1);
  await t.client.withdraw(5n * USDT, 2);
  const again = await t.client.withdraw(10n * USDT, 1);
  assert.deepEqual({ ...again, replayed: false }, first, 'the same amount and the account after the first');
  assert.equal(again.replayed, true);
  assert.equal(await wallet(t.client), 85n * USDT, 'no second debit');
});

test('a repeat with another amount is WITHDRAWAL_ID_REUSED and moves nothing', async () => {
  const t = await withdrawer();
  await t.client.withdraw(10n * USDT, 7);
  assert.equal(await refusal(t.client.withdraw(11n * USDT, 7)), Code.WITHDRAWAL_ID_REUSED);
  assert.equal(await wallet(t.client), 90n * USDT);
  const raw = await t.client.request('withdraw', { amount: 1n, withdrawalId: 0 });
  assert.equal(raw.error?.code, Code.INVALID_FIELD);
  assert.equal((await t.client.request('withdraw', { amount: 1n })).error?.code, Code.INVALID_FIELD, 'withdrawalId is required');
});

test('a refusal is the answer to every repeat, even once the withdrawal would pass', async () => {
  const t = await withdrawer(10n);
  assert.equal(await refusal(t.client.withdraw(50n * USDT, 3)), Code.WITHDRAWAL_EXCEEDS_WITHDRAWABLE);
  await ctx.h.gateway.operatorDeposit('test', t.accountId, 100n * USDT);
  assert.equal(await refusal(t.client.withdraw(50n * USDT, 3)), Code.WITHDRAWAL_EXCEEDS_WITHDRAWABLE);
  assert.equal(await wallet(t.client), 110n * USDT);
  assert.equal((await t.client.withdraw(50n * USDT, 4)).wallet, 60n * USDT, 'a new id is a new withdrawal');
});

test('repeats sent together share one attempt; two accounts may use the same id', async () => {
  const [a, b] = [await withdrawer(), await withdrawer()];
  const rs = await Promise.all([...[1, 2, 3, 4].map(() => a.client.withdraw(20n * USDT, 9)), b.client.withdraw(30n * USDT, 9)]);
  assert.equal(rs.slice(0, 4).filter((r) => !r.replayed).length, 1);
  assert.deepEqual(new Set(rs.slice(0, 4).map((r) => r.wallet)), new Set([80n * USDT]));
  assert.equal(rs[4]!.wallet, 70n * USDT);
  assert.equal(await wallet(a.client), 80n * USDT);
  assert.equal(await wallet(b.client), 70n * USDT);
});

test('after a gateway restart a repeat returns the first result', async () => {
  const t = await withdrawer();
  const first = await t.client.withdraw(12n * USDT, 21);
  const refused = await refusal(t.client.withdraw(1_000n * USDT, 22));
  await ctx.h.restartGateway();
  const c = await PerpxClient.connect(ctx.h.url);
  try {
    await c.login(t.creds);
    assert.deepEqual({ ...(await c.withdraw(12n * USDT, 21)), replayed: false }, first);
    assert.equal(await refusal(c.withdraw(1_000n * USDT, 22)), refused);
    assert.equal(await refusal(c.withdraw(13n * USDT, 21)), Code.WITHDRAWAL_ID_REUSED);
    assert.equal(await wallet(c), 88n * USDT);
  } finally {
    await c.close();
  }
});

test('a restart between offering a withdrawal and recording its answer: the repeat finds it applied, or applies it once', async () => {
  const t = await withdrawer();
  const applied = await t.client.withdraw(10n * USDT, 31);
  // What a crash right after the offer leaves: the record of the amount, without the result. For id 31 the
  // shard applied it; for id 32 it never arrived.
  const reserved = (amount: bigint, seq: number) => Buffer.from(JSON.stringify({ amount: amount.toString(), seq }));
  await ctx.h.store.write([
    { type: 'put', key: pairKey(Family.WITHDRAWAL, t.accountId, 31), value: reserved(10n * USDT, 1_000_000) },
    { type: 'put', key: pairKey(Family.WITHDRAWAL, t.accountId, 32), value: reserved(5n * USDT, 1_000_001) },
  ], true);
  await ctx.h.restartGateway();
  const c = await PerpxClient.connect(ctx.h.url);
  try {
    await c.login(t.creds);
    const again = await c.withdraw(10n * USDT, 31);
    assert.equal(again.requestId, applied.requestId);
    assert.equal(again.wallet, 90n * USDT, 'applied once: the shard refused the second (DUPLICATE_REQUEST)');
    assert.equal(await refusal(c.withdraw(6n * USDT, 32)), Code.WITHDRAWAL_ID_REUSED, 'the recorded amount holds');
    assert.equal((await c.withdraw(5n * USDT, 32)).wallet, 85n * USDT);
    assert.equal((await c.withdraw(5n * USDT, 32)).replayed, true);
    assert.equal(await wallet(c), 85n * USDT);
  } finally {
    await c.close();
  }
});
