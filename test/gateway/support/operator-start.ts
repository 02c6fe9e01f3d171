// `npm start` over the operator HTTP for end-to-end tests of markets listed at run time: a running
// exchange on a data directory (free ports, no MQTT), calls as an operator, and funded traders logged in
// over WebSocket.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PerpxClient } from '../../../gateway/client/client.js';
import { generateEd25519 } from '../../../gateway/client/keys.js';
import { spawnMain } from './npm-start.js';

export const ADMIN = 'admin-token-0123456789abcdef';
export const VIEWER = 'viewer-token-0123456789abcdef';

/** `npm start` on `dir` (with `args` besides); resolves once /readyz says ready. */
export async function start(dir: string, operators: string, args: readonly string[] = []) {
  const { child, exited, lines, tail, until } = spawnMain(['--data', join(dir, 'data'), '--operators', operators, '--port', '0', '--operator-port', '0', '--mqtt', 'none', '--stress-every', '0', '--json-logs', ...args]);
  await until('both servers listen', () => lines().some((l) => l.msg.startsWith('trader gateway on')));
  const op = lines().find((l) => l.msg.startsWith('operator HTTP on'))!.url!;
  const ws = lines().find((l) => l.msg.startsWith('trader gateway on'))!.url!;
  await until('ready', async () => (await fetch(`${op}/readyz`)).status === 200);
  const call = async (method: string, path: string, body?: unknown, token = ADMIN) => {
    const res = await fetch(op + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text };
  };
  return {
    ws,
    /** The operator HTTP's base URL. */
    op,
    call,
    lines,
    until,
    /** A crash (and, after a failed assertion, no process outliving the test): resolves once it has exited. */
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, tail());
      assert.deepEqual(lines().filter((l) => l.level >= 50), [], 'no error lines');
    },
  };
}
export type Running = Awaited<ReturnType<typeof start>>;

/** A new account funded with 100,000 USDT and an Ed25519 key that reads and trades. */
export async function trader(x: Running, label: string) {
  const { seed, publicKey } = generateEd25519();
  const { accountId } = (await x.call('POST', '/operator/accounts', { label })).body as { accountId: number };
  const key = await x.call('POST', '/operator/keys', { account: accountId, alg: 'ed25519', publicKey: Buffer.from(publicKey).toString('hex'), scopes: ['read', 'trade'] });
  assert.equal(key.status, 200, key.text);
  const funded = await x.call('POST', '/operator/deposits', { account: accountId, requestId: accountId, amount: '100000' });
  assert.equal(funded.status, 200, funded.text);
  return { accountId, keyId: key.body.keyId as string, seed };
}

/** A WebSocket client of the trader gateway, logged in with the trader's key. */
export async function login(x: Running, t: { keyId: string; seed: Uint8Array }): Promise<PerpxClient> {
  const c = await PerpxClient.connect(x.ws);
  await c.login({ keyId: t.keyId, alg: 'ed25519', secret: t.seed });
  return c;
}

