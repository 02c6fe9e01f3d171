// Crash test through the gateway: a client places orders with client order ids over a real socket while
// the process holding the durable exchange and the gateway is killed with SIGKILL at a random moment
// (seeded), then restarted on the same directories; the client retries every order it sent, acknowledged
// or not, with the same client order ids. Then:
//   - every acknowledged order answers its retry with the same order id (nothing acknowledged was lost);
//   - every client order id has exactly one order in the book: cancelling by it succeeds once, and a
//     second cancel finds nothing (nothing was placed twice);
//   - after every restart, before any retry, the client's open orders (the gateway's read models, loaded
//     from the shards' state) hold every acknowledged order under its id, each client order id once; after
//     the retries, exactly one per order sent.

import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PerpxClient } from '../../gateway/client/client.js';
import { generateEd25519 } from '../../gateway/client/keys.js';
import type { ApiCredentials } from '../../gateway/client/types.js';
import { rng, testSeed } from '../support/seed.js';
import { MID } from './support/harness.js';

const child = new URL('./support/gateway-child.js', import.meta.url);
const ORDERS = 120;
const CYCLES = 4;

interface Ready {
  port: number;
  accountId: number;
  keyId: string;
}

function start(dir: string, gwDir: string, publicKey: Uint8Array): { proc: ChildProcess; ready: Promise<Ready> } {
  const proc = fork(child, [dir, gwDir, Buffer.from(publicKey).toString('hex')], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = new Promise<Ready>((resolve, reject) => {
    proc.once('message', (m: Ready & { type: string }) => resolve(m));
    proc.once('exit', (code) => reject(new Error(`child exited ${code} before it was ready`)));
  });
  return { proc, ready };
}

async function killed(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

const order = (cid: number) => ({ market: 1, side: 'buy' as const, type: 'limit' as const, price: MID - 2_000 - (cid % 40), qty: 1, clientOrderId: cid });

test('orders placed through the gateway across kill -9 restarts: none acknowledged lost, none placed twice', async () => {
  const seed = testSeed('gateway crash');
  const r = rng(seed);
  const dir = mkdtempSync(join(tmpdir(), 'perpx-gw-crash-'));
  const gwDir = mkdtempSync(join(tmpdir(), 'perpx-gw-crash-store-'));
  const pair = generateEd25519();
  const acked = new Map<number, number>();
  let sent = 0;
  let unanswered = 0;
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const c = start(dir, gwDir, pair.publicKey);
      const ready = await c.ready;
      const creds: ApiCredentials = { keyId: ready.keyId, alg: 'ed25519', secret: pair.seed };
      const client = await PerpxClient.connect(`ws://127.0.0.1:${ready.port}`);
      await client.login(creds);
      const shown = (await client.openOrders()).orders;
      const byCid = new Map(shown.map((o) => [o['clientOrderId'] as number, o['orderId'] as number]));
      assert.equal(byCid.size, shown.length, `cycle ${cycle}: one open order per client order id`);
      for (const [cid, id] of acked) assert.equal(byCid.get(cid), id, `cycle ${cycle}: acknowledged order ${cid} shown after the restart`);
      // Retries first: every order sent before, acknowledged or not, with its own client order id.
      for (let cid = 1; cid <= sent; cid++) {
        const p = await client.place(order(cid));
        const before = acked.get(cid);
        if (before !== undefined) assert.equal(p.orderId, before, `client order id ${cid}: acknowledged as ${before}, retried as ${p.orderId}`);
        acked.set(cid, p.orderId);
      }
      assert.equal((await client.openOrders()).orders.length, sent, `cycle ${cycle}: one open order per order sent`);
      // New orders, pipelined, killed at a random moment (the last cycle runs to its end).
      const last = cycle === CYCLES - 1;
      const target = last ? ORDERS : Math.min(ORDERS, sent + 40 + (r() % 20));
      // Killed right after a random send, so the kill finds orders sent and not yet answered.
      const killAt = last ? Infinity : sent + 5 + (r() % 30);
      const inFlight: Promise<void>[] = [];
      while (sent < target && !client.closed) {
        const cid = ++sent;
        inFlight.push(
          client.request('place', order(cid)).then((res) => {
            if (res.ok) acked.set(cid, (res.data as { orderId: number }).orderId);
          }),
        );
        if (cid === killAt) c.proc.kill('SIGKILL');
        // At most four in flight: acknowledgements keep arriving, and the kill finds a few unanswered.
        if (inFlight.length >= 4) await inFlight[inFlight.length - 4];
      }
      await Promise.all(inFlight);
      await killed(c.proc);
      console.log(`# cycle ${cycle}: ${sent} sent, ${acked.size} acknowledged so far`);
      unanswered += sent - acked.size;
    }
    assert.ok(unanswered > 0, 'some kill came with orders in flight (else the test proved nothing)');
    // A last start to count: every client order id has exactly one order.
    const c = start(dir, gwDir, pair.publicKey);
    const ready = await c.ready;
    const client = await PerpxClient.connect(`ws://127.0.0.1:${ready.port}`);
    await client.login({ keyId: ready.keyId, alg: 'ed25519', secret: pair.seed });
    assert.ok(sent >= ORDERS);
    for (let cid = 1; cid <= sent; cid++) {
      const again = await client.place(order(cid));
      assert.equal(again.orderId, acked.get(cid), `client order id ${cid}`);
      assert.equal((await client.request('cancel', { market: 1, clientOrderId: cid })).ok, true, `client order id ${cid} has an order`);
      assert.equal((await client.request('cancel', { market: 1, clientOrderId: cid })).error?.code, Code.ORDER_NOT_FOUND, `client order id ${cid} had one order`);
    }
    await client.close();
    await killed(c.proc);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(gwDir, { recursive: true, force: true });
  }
});
