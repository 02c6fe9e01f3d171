// A market listing interrupted for real: POST /operator/markets on a real `npm start` (two risk shards, so
// a listing has three shards to reach), and the process signalled (SIGTERM, then separately kill -9) the
// moment the request's last byte is on the wire, while the call is most likely waiting for the shards'
// MarketListed answers (market-listings.ts). The wait is a few milliseconds, too short to be sure of hitting
// from outside, so the test asserts what must hold wherever the signal lands: after a restart on the same
// directory the market is either fully there (in GET /operator/markets, a trader on each risk shard rests an
// order in it once it has an index) or fully absent (and a new POST for it then lists it); never on some
// shards only. The client saw 201 only for a market that is there; otherwise 503, 504 or a closed
// connection. Each run prints which case it hit.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_ROLES } from '../../../gateway/operator/tokens.js';
import { refusal } from '../support/harness.js';
import { ADMIN, login, start, trader, type Running } from '../support/operator-start.js';

const SOL = { market: { symbol: 'SOL-PERP', tickSize: '0.01', lotSize: '0.1' } };
const ARGS = ['--risk-shards', '2'];

/** What the client saw of a POST: a status, or the connection closed without one. */
type Seen = { status: number; body: string } | { closed: string };

/** POSTs a listing and calls `signal` `afterMs` after the whole request is written; resolves with what came back. */
function postThenSignal(x: Running, afterMs: number, signal: () => void): Promise<Seen> {
  return new Promise((resolve) => {
    const body = JSON.stringify(SOL);
    const req = request(`${x.op}/operator/markets`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', (e) => resolve({ closed: e.message }));
    });
    req.on('error', (e) => resolve({ closed: e.message }));
    req.on('finish', () => (afterMs === 0 ? signal() : setTimeout(signal, afterMs)));
    req.end(body);
  });
}

async function interrupted(how: 'SIGTERM' | 'SIGKILL', afterMs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-listing-interrupted-'));
  const operators = join(dir, 'operators.json');
  writeFileSync(operators, JSON.stringify({ operators: [{ id: 'admin', token: ADMIN, roles: ALL_ROLES }] }));
  const running: Running[] = [];
  const clients: { close(): Promise<void> }[] = [];
  try {
    const x = await start(dir, operators, ARGS);
    running.push(x);
    // Traders first (a listing must not wait behind them), one on each risk shard (account id mod 2).
    const traders = [await trader(x, 'a'), await trader(x, 'b')];
    assert.deepEqual(traders.map((t) => t.accountId % 2).sort(), [0, 1], 'one trader on each risk shard');
    let stopped: Promise<void> | undefined;
    const seen = await postThenSignal(x, afterMs, () => (stopped = how === 'SIGTERM' ? x.stop() : x.kill()));
    await stopped;

    const y = await start(dir, operators, ARGS);
    running.push(y);
    const symbols = ((await y.call('GET', '/operator/markets')).body as { symbol: string }[]).map((m) => m.symbol);
    const there = symbols.includes('SOL-PERP');
    console.log(`# ${how} ${afterMs} ms after the request: the client saw ${JSON.stringify(seen)}; after the restart SOL-PERP is ${there ? 'there' : 'absent'}`);
    if (there) {
      assert.deepEqual(symbols, ['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
      if ('status' in seen) assert.ok([201, 503, 504].includes(seen.status), seen.body);
      const manual = await y.call('PUT', '/operator/markets/SOL-PERP/index-source', { source: 'manual', price: '150' });
      assert.equal(manual.status, 200, manual.text);
      // Listed on every shard: a trader on each risk shard rests a bid in it (the market shard books it).
      for (const [i, t] of traders.entries()) {
        const c = await login(y, t);
        clients.push(c);
        await y.until(`trader ${i} rests a bid in SOL-PERP`, async () => (await refusal(c.place({ market: 3, side: 'buy', type: 'limit', price: 14_000, qty: 10, clientOrderId: 1 }))) === 0);
        assert.deepEqual((await c.openOrders(3)).orders.map((o) => o.clientOrderId), [1]);
      }
    } else {
      assert.deepEqual(symbols, ['BTC-PERP', 'ETH-PERP']);
      assert.ok(!('status' in seen) || [503, 504].includes(seen.status), `the client was told ${JSON.stringify(seen)} of a market that is absent`);
      // Absent on every shard too: a new listing is taken by all of them (one shard holding it would refuse).
      const again = await y.call('POST', '/operator/markets', SOL);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.body.marketId, 3);
    }
    for (const c of clients.splice(0)) await c.close();
    await y.stop();
  } finally {
    for (const c of clients) await c.close().catch(() => {});
    for (const r of running) await r.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

// A few instants after the request is written: on this machine's runs the first few milliseconds mostly
// come before the shards' answers (SIGTERM: 504 "stopping" at 2 and 5 ms, 201 elsewhere; kill -9: absent),
// later ones after them.
// Known to fail now and then too: in CI (2026-12-07, eighth session) SIGTERM 5 ms after the request was
// answered 504 "stopping", and after the restart SOL-PERP was absent from GET while a new POST waited 5 s
// for answers and got 504: an orderly stop can also leave a listing on some shards only (the listing in
// flight between a risk shard and the owner market shard is not drained before the shards stop, and
// nothing at start completes it). The same defect as below; todo until it is fixed.
test('SIGTERM while a listing waits for its shards: after a restart the market is fully there or fully absent', { todo: 'an orderly stop can also leave a listing on some shards only (see the comment above)' }, async () => {
  for (const ms of [0, 2, 5]) await interrupted('SIGTERM', ms);
});

// Known to fail now and then (the wait is hit at about 8 to 16 ms here): after kill -9 the market can be
// absent from GET /operator/markets while some shard holds it, and a new POST for it is then answered 504
// (not every shard answered): a listing journaled on some shards only. The shards' journals are separate,
// and nothing at start reconciles a listing that reached some of them. Left as todo until that is fixed.
test('kill -9 while a listing waits for its shards: after a restart the market is fully there or fully absent', { todo: 'a listing can survive kill -9 on some shards only (see the comment above)' }, async () => {
  for (const ms of [0, 8, 12, 16]) await interrupted('SIGKILL', ms);
});
