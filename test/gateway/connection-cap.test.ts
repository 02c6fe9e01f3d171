// The gateway's cap on connections in total (limits.test.ts covers the cap per address): past it a
// connection is refused at the upgrade with 503 and CONNECTION_LIMIT whatever its address, the ones open
// stay served, and a freed slot takes a new connection.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PerpxClient } from '../../gateway/client/client.js';
import { startHarness } from './support/harness.js';

test('past maxConnections in total a connection is refused 503 CONNECTION_LIMIT; a freed slot takes the next', async () => {
  const h = await startHarness({ gateway: { limits: { maxConnections: 3, maxConnectionsPerIp: 1_000 } } });
  try {
    const open = await Promise.all([1, 2, 3].map(() => PerpxClient.connect(h.url)));
    await assert.rejects(PerpxClient.connect(h.url), (e: { statusCode?: number; code?: number }) => e.statusCode === 503 && e.code === Code.CONNECTION_LIMIT);
    for (const c of open) assert.ok((await c.ping()).serverUs > 0, 'the open connections are served');
    await open[0]!.close();
    let next: PerpxClient | undefined;
    // The server counts the close once its socket has ended: retry until the slot is free.
    for (let i = 0; i < 200 && next === undefined; i++) next = await PerpxClient.connect(h.url).catch(() => new Promise<undefined>((r) => setTimeout(() => r(undefined), 10)));
    assert.ok(next !== undefined, 'a freed slot takes a new connection');
    assert.ok((await next.ping()).serverUs > 0);
    await Promise.all([next, ...open.slice(1)].map((c) => c.close()));
  } finally {
    await h.stop();
  }
});
