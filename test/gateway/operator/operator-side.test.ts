// The operator side as npm start assembles it: on a first start the data directory gets one admin token,
// returned to be printed once; a start that cannot listen (the port taken) keeps no token nobody saw, so
// the next start generates and returns one again.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { nowUs } from '../../../gateway/clock.js';
import { createLogger } from '../../../gateway/log.js';
import { startOperatorSide } from '../../../gateway/operator/operator-side.js';
import { MarketRegistry } from '../../../gateway/markets/market-registry.js';
import { MemoryAlertStorage } from '../../../exchange/surveillance/alert-storage.js';
import { loadSurveillanceRecords } from '../../../exchange/surveillance/durable-alerts.js';
import { sampleAlerts } from '../../exchange/sample-alerts.js';

const log = await createLogger({ pretty: false, destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const options = (dataDir: string, port: number) => ({
  exchange: () => undefined,
  markets: new MarketRegistry(DEFAULT_MARKETS),
  marketShardOf: () => 0,
  dataDir,
  tokensFile: undefined,
  port,
  host: '127.0.0.1',
  nowUs,
  log,
  readiness: () => ({ ready: false, reasons: ['test'] }),
  recovered: false,
});

test('a first start whose port is taken keeps no token; the next start generates one and returns it to print', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-opside-'));
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  t.after(() => {
    busy.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const port = (busy.address() as { port: number }).port;
  await assert.rejects(startOperatorSide(options(dir, port)), (e: NodeJS.ErrnoException) => e.code === 'EADDRINUSE');
  assert.equal(existsSync(join(dir, 'operator', 'operators.json')), false);

  const first = await startOperatorSide(options(dir, 0));
  assert.match(first.generatedToken ?? '', /^[\w-]{16,}$/);
  assert.equal(first.tokensPath, join(dir, 'operator', 'operators.json'));
  await first.close();
  // The token was shown: later starts keep it and generate nothing.
  const again = await startOperatorSide(options(dir, 0));
  assert.equal(again.generatedToken, undefined);
  await again.close();
});

test('with surveillance, the operator side serves its alert, owner and integrity routes and puts its counters in /metrics', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-opside-'));
  const records = await loadSurveillanceRecords(new MemoryAlertStorage());
  const alerts = sampleAlerts();
  for (const a of alerts) await records.book.ingest(a);
  const side = await startOperatorSide({ ...options(dir, 0), surveillance: { ...records, applyOwner: () => false } });
  t.after(async () => {
    await side.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${side.address.port}`;
  const auth = { authorization: `Bearer ${side.generatedToken}` };
  const metrics = await (await fetch(`${url}/metrics`)).text();
  assert.match(metrics, /# TYPE perpx_surveillance_alerts_total counter/);
  assert.match(metrics, new RegExp(`perpx_surveillance_alerts\\{status="open"\\} ${alerts.length}\\n`));
  for (const path of ['/operator/surveillance/alerts', '/operator/surveillance/owners', '/operator/surveillance/integrity']) {
    assert.equal((await fetch(url + path, { headers: auth })).status, 200, path);
  }
});
