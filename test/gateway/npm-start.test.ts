// `npm start` end to end (the compiled gateway/main.js, in memory, on free ports): it prints where the
// trader gateway and the operator server listen, becomes ready, runs the demo bots over WebSocket, its
// index swings liquidate the thin takers and the gaps (no book: the makers pulled their quotes) send them
// to ADL, and on SIGTERM stops cleanly: exit 0, the state hashes printed, no error or warning line, nothing on
// stderr but the operator token and the demo account.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnMain } from './support/npm-start.js';

test('npm start --demo serves, becomes ready, and stops on SIGTERM with no error lines', async () => {
  const { child, io, exited, lines, until } = spawnMain(['--in-memory', '--demo', '--port', '0', '--operator-port', '0', '--mqtt-port', '0', '--stress-every', '0', '--rate', '500', '--json-logs']);
  await until('the bots run', () => lines().some((l) => l.msg.includes('demo bots at 500 orders/s')));
  const operatorUrl = lines().find((l) => l.msg.startsWith('operator HTTP on'))!.url!;
  const gatewayUrl = lines().find((l) => l.msg.startsWith('trader gateway on'))!.url!;
  assert.match(gatewayUrl, /^ws:\/\/127\.0\.0\.1:\d+$/);
  const ready = await fetch(`${operatorUrl}/readyz`);
  assert.equal(ready.status, 200, await ready.text());
  const token = /generated operator token for "admin" \(kept in [^)]+\): (\S+)/.exec(io.err)![1]!;
  const listing = await fetch(`${operatorUrl}/operator/markets`, { headers: { authorization: `Bearer ${token}` } });
  assert.deepEqual(((await listing.json()) as { symbol: string }[]).map((m) => m.symbol), ['BTC-PERP', 'ETH-PERP']);
  await until('trades over WebSocket', () => lines().some((l) => /trades [1-9][\d,]*\/s/.test(l.msg)));
  const metrics = await (await fetch(`${operatorUrl}/metrics`)).text();
  for (const series of [/perpx_gateway_requests_total\{op="place"\} [1-9]/, /perpx_connections\{source="gateway"\} 1[67]/, /perpx_order_ack_seconds_count [1-9]/, /perpx_md_messages_total [1-9]/, /perpx_bus_published_total [1-9]/, /perpx_bus_connected 1/, /perpx_events_total\{type="TradeExecuted"\} [1-9]/]) {
    assert.match(metrics, series);
  }
  // The demo's index swings liquidate its thin takers, and since the makers pull their quotes before a
  // swing, the gap leaves no book to close them in and ADL takes them (README: both at the first swing,
  // about 6 s in, and again at every swing back). The liquidations did not come while the bots saw each
  // swing a second before the exchange did; ADL was rare while the gap left the makers' ladder at the old
  // price to close them above bankruptcy (the first about 100 s in). 60 s is a generous deadline, not a
  // timing: the first swing and its return both come within 20 s.
  const seen = { LiquidationProgressed: false, AdlExecuted: false };
  for (let i = 0; i < 240 && !(seen.LiquidationProgressed && seen.AdlExecuted); i++) {
    const text = await (await fetch(`${operatorUrl}/metrics`)).text();
    for (const type of ['LiquidationProgressed', 'AdlExecuted'] as const) seen[type] ||= new RegExp(`perpx_events_total\\{type="${type}"\\} [1-9]`).test(text);
    if (!(seen.LiquidationProgressed && seen.AdlExecuted)) await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(seen, { LiquidationProgressed: true, AdlExecuted: true }, `no liquidation or no ADL in the demo within 60 s\nstdout: ${io.out.slice(-2000)}`);
  child.kill('SIGTERM');
  assert.equal(await exited, 0, io.err);
  const stopped = lines().find((l) => l.msg.startsWith('stopped; state hashes: market '));
  assert.ok(stopped, 'the state hashes are printed');
  // As perpx-restore prints them (hash, verify): 16 hex digits each, leading zeros kept.
  assert.match(stopped.msg, /^stopped; state hashes: market( [0-9a-f]{16})+ · risk( [0-9a-f]{16})+$/);
  assert.deepEqual(lines().filter((l) => l.level >= 40), [], 'no warning or error lines');
  const stderrLines = io.err.split('\n').filter((l) => l !== '');
  assert.ok(stderrLines.every((l) => l.startsWith('perpx: ')), stderrLines.join('\n'));
});
