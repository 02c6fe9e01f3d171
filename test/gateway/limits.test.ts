// Limits: token-bucket rate limits with retry-after and the quota in every response, connection caps per
// address, login deadlines, heartbeats, half-open HTTP clients, the slow-consumer cap and the gateway's
// open-order limit. Each limit refuses what passes it and leaves everyone else served.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { Code } from '../../engine/codes.js';
import { PerpxClient } from '../../gateway/client/client.js';
import type { Subscriber } from '../../gateway/server/channels.js';
import { FrameCodec } from '../../gateway/protocol/codec.js';
import { canonicalBytes, signBytes } from '../../gateway/auth/signing.js';
import { nowUs } from '../../gateway/clock.js';
import { MID, startHarness, type Harness, type Trader } from './support/harness.js';

let h: Harness;
let t: Trader;
let other: Trader;
const floodSubs: Subscriber[] = [];

before(async () => {
  h = await startHarness({
    gateway: {
      limits: { maxConnectionsPerIp: 8, loginTimeoutMs: 300, heartbeatMs: 300, headersTimeoutMs: 300, maxBufferedBytes: 256 * 1024 },
      rateLimits: { perKey: { capacity: 20, refillPerSecond: 1 }, perIp: { capacity: 1_000, refillPerSecond: 1_000 } },
      maxOpenOrders: 2,
    },
  });
  // A channel that sends whatever the test asks: the slow-consumer probe.
  h.gateway.channels.register({ name: 'flood', perMarket: false, subscribe: (s) => void floodSubs.push(s), unsubscribe: () => {} });
  await h.mark(MID);
  t = await h.trader();
});
after(() => h.stop());

test('the quota falls with each request; past it RATE_LIMITED says when to retry, and other keys are served', async () => {
  other = await h.trader();
  const seen: number[] = [];
  let refused;
  for (let i = 0; i < 40 && refused === undefined; i++) {
    const r = await t.client.request('ping');
    if (r.ok) seen.push(r.rl);
    else refused = r;
  }
  assert.ok(seen.length >= 15 && seen.length <= 22, `${seen.length} served (capacity 20, weight 1)`);
  assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'the quota only falls');
  assert.equal(refused?.error?.code, Code.RATE_LIMITED);
  assert.equal(refused?.error?.retryable, true);
  assert.ok((refused?.error?.retryAfterMs ?? 0) > 0 && (refused?.error?.retryAfterMs ?? 0) <= 5_000);
  assert.equal((await other.client.request('openOrders')).ok, true);
});

test('the account’s open-order limit refuses the next order and places nothing', async () => {
  const u = await h.trader();
  await u.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 900, qty: 1 });
  await u.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 901, qty: 1 });
  const r = await u.client.request('place', { market: 1, side: 'buy', type: 'limit', price: MID - 902, qty: 1 });
  assert.equal(r.error?.code, Code.OPEN_ORDERS_LIMIT);
  assert.equal((await u.client.openOrders()).orders.length, 2);
  await u.client.cancelAll();
});

test('a connection past the per-address cap is refused at the upgrade with 503 and CONNECTION_LIMIT', async () => {
  const extra: PerpxClient[] = [];
  let refused: { statusCode?: number; code?: number } | undefined;
  for (let i = 0; i < 10 && refused === undefined; i++) {
    try {
      extra.push(await PerpxClient.connect(h.url));
    } catch (e) {
      refused = e as { statusCode?: number; code?: number };
    }
  }
  assert.equal(refused?.statusCode, 503);
  assert.equal(refused?.code, Code.CONNECTION_LIMIT);
  assert.ok((await other.client.ping()).serverUs > 0, 'connections already open are served');
  await Promise.all(extra.map((c) => c.close()));
});

test('a connection that never logs in is closed IDLE_TIMEOUT (4018)', async () => {
  const c = await PerpxClient.connect(h.url);
  const code = await new Promise<number>((resolve) => c.once('close', (x) => resolve(x)));
  assert.equal(code, 4000 + (Code.IDLE_TIMEOUT % 1000));
});

test('a logged-in client that stops answering pings is closed IDLE_TIMEOUT', async () => {
  const u = await h.trader({ usdt: 0n });
  const ws = new WebSocket(h.url, { autoPong: false });
  await new Promise((r) => ws.once('open', r));
  const codec = new FrameCodec();
  const ts = nowUs();
  ws.send(codec.encode({ op: 'login', id: 1, keyId: u.creds.keyId, ts, nonce: 'hb', sig: signBytes('ed25519', u.creds.secret, canonicalBytes('login', u.creds.keyId, ts, 'hb', {})) }));
  const login = await new Promise<Record<string, unknown>>((r) => ws.once('message', (d: Buffer) => r(codec.decode(d) as Record<string, unknown>)));
  assert.equal(login['ok'], true, 'logged in: the login deadline does not apply');
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const code = await closed;
  // The server terminates a silent peer: the client sees an abnormal close (no close frame), or 4018.
  assert.ok(code === 1006 || code === 4018, `close ${code}`);
});

test('an HTTP client that never finishes its headers (slowloris) is dropped', async () => {
  const port = Number(new URL(h.url).port);
  const sock = connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  let reply = '';
  sock.on('data', (d: Buffer) => (reply += d.toString()));
  sock.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
  await new Promise((r) => sock.once('close', r));
  assert.match(reply, /^HTTP\/1.1 408/);
});

test('a client that does not read is closed SLOW_CONSUMER; others keep being served', async () => {
  const slow = await PerpxClient.connect(h.url);
  await slow.subscribe('flood');
  const sub = floodSubs.at(-1)!;
  // Stop reading: the kernel buffers fill, then the server's queue, then the cap trips.
  (slow as unknown as { ws: { _socket: { pause(): void } } }).ws._socket.pause();
  const frame = new Uint8Array(64 * 1024);
  let sent = 0;
  while (sub.send(frame) && sent < 10_000) {
    sent++;
    if (sent % 16 === 0) await new Promise((r) => setImmediate(r));
  }
  assert.ok(sent < 10_000, 'the cap tripped');
  assert.equal(sub.send(frame), false, 'nothing more is queued for it');
  assert.ok(h.gateway.stats.slowConsumers >= 1);
  assert.ok((await other.client.ping()).serverUs > 0);
});
