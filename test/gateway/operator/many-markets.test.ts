// The most markets over the operator HTTP of a real threaded exchange: operators list markets until the
// exchange holds MAX_MARKETS (256, the configured two included), every one answered 201 by the shards
// and served; the next call is refused 409 TOO_MANY_MARKETS and changes nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { MAX_MARKETS } from '../../../engine/market/listing.js';
import { ADMIN, startHarness } from './operator-harness.js';

test(`markets are listed up to ${MAX_MARKETS}; the next is refused TOO_MANY_MARKETS`, async () => {
  const h = await startHarness();
  try {
    // Small books: each listed market preallocates maxOrders resting orders.
    const body = (n: number) => ({ market: { symbol: `M${n}-PERP`, tickSize: '0.01', lotSize: '1', maxOrders: 16 } });
    for (let n = 3; n <= MAX_MARKETS; n++) {
      const r = await h.call('POST', '/operator/markets', { token: ADMIN, body: body(n) });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.marketId, n);
    }
    const perShard = [0, 1].map((s) => (h.markets.list().filter((m) => h.exchange.topology.marketShardOf(m.marketId) === s).length));
    assert.deepEqual(perShard, [MAX_MARKETS / 2, MAX_MARKETS / 2], 'each new market went to the shard holding fewer');
    const over = await h.call('POST', '/operator/markets', { token: ADMIN, body: body(MAX_MARKETS + 1) });
    assert.deepEqual([over.status, over.body.error, over.body.code], [409, 'TOO_MANY_MARKETS', Code.TOO_MANY_MARKETS]);
    const listed = (await h.call('GET', '/operator/markets', { token: ADMIN })).body as { symbol: string }[];
    assert.equal(listed.length, MAX_MARKETS);
    assert.equal(listed.at(-1)!.symbol, `M${MAX_MARKETS}-PERP`);
  } finally {
    await h.close();
  }
});
