// A market listed at run time, priced by the index oracle from the venues the --oracle file configures,
// over the operator HTTP of a real `npm start` with three local venues answering in their own formats
// (bodies from test/fixtures/venues): bad bodies are refused naming the field and change nothing; the
// operator's sources give the market shard their median as its index and traders trade on it; after a
// restart on the same directory the market is still polled from those sources (a new quote moves its
// index) with no operator action. Every choice is in the audit log.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PerpxClient } from '../../../gateway/client/client.js';
import { ALL_ROLES } from '../../../gateway/operator/tokens.js';
import { refusal } from '../support/harness.js';
import { ADMIN, login, start, trader, type Running } from '../support/operator-start.js';
import { venueBody, type VenueName } from '../../support/venue-bodies.js';
import { VenueServer } from '../../support/venue-server.js';

const SOL = { market: { symbol: 'SOL-PERP', tickSize: '0.01', lotSize: '0.1' } };
const PATH = '/operator/markets/SOL-PERP/index-source';
const CHOICE = { source: 'oracle', sources: { 'binance:SOLUSDT': 1, 'okx:SOL-USDT': 1, 'coinbase:SOL-USD': 1 }, minSources: 2, stalenessMs: 3_600_000 };

test('a listed market priced by the oracle from the configured venues: refused bodies, the median index, trades, a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-listed-oracle-'));
  const operators = join(dir, 'operators.json');
  writeFileSync(operators, JSON.stringify({ operators: [{ id: 'admin', token: ADMIN, roles: ALL_ROLES }] }));
  const venues = new Map<VenueName, VenueServer>();
  for (const v of ['binance', 'okx', 'coinbase'] as const) venues.set(v, await VenueServer.start());
  /** Each venue quotes [bid, ask] now. */
  const quote = (q: Partial<Record<VenueName, [string, string]>>) => {
    for (const [v, [bid, ask]] of Object.entries(q) as [VenueName, [string, string]][]) venues.get(v)!.behaviour = { body: venueBody(v, { bid, ask, timeMs: Date.now() }) };
  };
  // The file prices no configured market (they stay on the walk): it configures the venues only.
  const oracleFile = join(dir, 'oracle.json');
  writeFileSync(oracleFile, JSON.stringify({ version: 1, cadenceMs: 200, collectMs: 150, venues: Object.fromEntries([...venues].map(([v, s]) => [v, { baseUrl: s.url, retries: 0 }])) }));
  const clients: PerpxClient[] = [];
  const running: Running[] = [];
  try {
    let x = await start(dir, operators, ['--oracle', oracleFile]);
    running.push(x);
    assert.equal((await x.call('POST', '/operator/markets', SOL)).status, 201);
    assert.deepEqual((await x.call('GET', PATH)).body, { market: 'SOL-PERP', source: 'none' });

    // Refused, each naming its field, and nothing changes.
    const refused: [Record<string, unknown>, string][] = [
      [{ source: 'oracle' }, 'sources'],
      [{ ...CHOICE, sources: { ...CHOICE.sources, 'kraken:SOLUSD': 1 } }, 'sources["kraken:SOLUSD"]'],
      [{ ...CHOICE, sources: { ...CHOICE.sources, 'okx:SOL USDT': 1 } }, 'sources["okx:SOL USDT"].symbol'],
      [{ ...CHOICE, sources: { ...CHOICE.sources, 'okx:SOL-USDT': 0 } }, 'sources["okx:SOL-USDT"].weight'],
      [{ ...CHOICE, minSources: 4 }, 'minSources'],
      [{ ...CHOICE, source: 'manual', price: '150' }, 'sources'],
      [{ ...CHOICE, weights: [1] }, 'weights'],
    ];
    for (const [body, field] of refused) {
      const r = await x.call('PUT', PATH, body);
      assert.deepEqual([r.status, r.body.error, r.body.field], [400, 'OPERATOR_BAD_REQUEST', field], r.text);
    }
    assert.deepEqual((await x.call('GET', PATH)).body, { market: 'SOL-PERP', source: 'none' });

    // Mids 150.01, 150.05 and 149.97: the median is binance's 150.01.
    quote({ binance: ['150.00', '150.02'], okx: ['150.04', '150.06'], coinbase: ['149.96', '149.98'] });
    const chosen = await x.call('PUT', PATH, CHOICE);
    const described = { market: 'SOL-PERP', source: 'oracle', sources: [{ source: 'binance:SOLUSDT', weight: 1 }, { source: 'okx:SOL-USDT', weight: 1 }, { source: 'coinbase:SOL-USD', weight: 1 }], minSources: 2 };
    assert.deepEqual([chosen.status, chosen.body], [200, described], chosen.text);
    await x.until('SOL-PERP has the median index and mark', async () => {
      const m = (await x.call('GET', '/operator/markets')).body[2];
      return m.index === '150.01' && m.mark === '150.01';
    });
    assert.ok(venues.get('okx')!.paths.some((p) => p.includes('SOL-USDT')), 'the venue was asked for the operator\'s symbol');

    const makerKey = await trader(x, 'maker');
    const takerKey = await trader(x, 'taker');
    let maker = await login(x, makerKey);
    let taker = await login(x, takerKey);
    clients.push(maker, taker);
    await x.until('the maker rests a bid', async () => (await refusal(maker.place({ market: 3, side: 'buy', type: 'limit', price: 14_990, qty: 10, clientOrderId: 1 }))) === 0);
    await maker.place({ market: 3, side: 'sell', type: 'limit', price: 15_010, qty: 10, clientOrderId: 2 });
    await taker.place({ market: 3, side: 'buy', type: 'limit', price: 15_010, qty: 4, tif: 'ioc' });
    await x.until('the taker holds 4 lots', async () => (await taker.positions()).positions.some((p) => p.market === 3 && BigInt(p.qty) === 4n));
    for (const c of clients.splice(0)) await c.close();

    // A restart: the listed market comes back with its oracle sources, polled again (a new quote moves it).
    await x.stop();
    x = await start(dir, operators, ['--oracle', oracleFile]);
    running.push(x);
    assert.deepEqual((await x.call('GET', PATH)).body, described);
    quote({ binance: ['151.00', '151.02'], okx: ['151.10', '151.12'], coinbase: ['150.90', '150.92'] });
    await x.until('SOL-PERP follows the venues after the restart', async () => (await x.call('GET', '/operator/markets')).body[2].index === '151.01');
    maker = await login(x, makerKey);
    taker = await login(x, takerKey);
    clients.push(maker, taker);
    await x.until('the taker trades again', async () => (await refusal(taker.place({ market: 3, side: 'buy', type: 'limit', price: 15_010, qty: 6, tif: 'ioc' }))) === 0);
    await x.until('the taker holds 10 lots', async () => (await taker.positions()).positions.some((p) => p.market === 3 && BigInt(p.qty) === 10n));
    for (const c of clients.splice(0)) await c.close();
    await x.stop();

    const audit = readFileSync(join(dir, 'data', 'operator', 'audit.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { method: string; path: string; status: number });
    assert.deepEqual(audit.filter((e) => e.method === 'PUT' && e.path === PATH).map((e) => e.status), [...refused.map(() => 400), 200]);
  } finally {
    for (const c of clients) await c.close().catch(() => {});
    for (const r of running) await r.kill();
    for (const v of venues.values()) await v.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
