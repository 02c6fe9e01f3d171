// Views of one shared ring of recent orders (order-to-trade and quote stuffing note the same cancels)
// must list what a RecentOrders of each detector's own lists: the last 16 orders it noted since it last
// cleared the row, whichever view notes an order first, whether a view lists before or after noting the
// record's order, and whether it clears the row before or after the other view wrote that order.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentOrders, RecentOrderView, SharedRecentOrders } from '../../../risk/surveillance/recent-orders.js';
import { WatchedOrder } from '../../../risk/surveillance/watched-order.js';
import { below, rng, testSeed } from '../../support/seed.js';

test('views of a shared ring of recent orders list what rings of their own list', () => {
  const seed = testSeed('recent order views');
  const r = rng(seed);
  const rows = 4;
  const shared = new SharedRecentOrders(16);
  const views = [new RecentOrderView(shared), new RecentOrderView(shared)];
  const own = [new RecentOrders(16, 1), new RecentOrders(16, 1)];
  for (let v = 0; v < 2; v++) {
    views[v]!.ensureRows(rows);
    own[v]!.ensureRows(rows);
    for (let row = 0; row < rows; row++) {
      views[v]!.clear(row);
      own[v]!.clear(row);
    }
  }
  const check = (v: number, row: number, at: string): void =>
    assert.deepEqual(views[v]!.list(row), own[v]!.list(row), `seed ${seed}, ${at}: view ${v} row ${row}`);
  for (let seq = 1; seq <= 20_000; seq++) {
    // One record: an order of one account ends, and both views note it, in either order; each may
    // first clear the row (a detector taking it again) and list it before or after noting.
    const row = below(r, rows);
    const o = new WatchedOrder(0);
    o.orderId = seq * 3 + below(r, 3);
    o.accountId = row;
    o.endedSeq = seq;
    o.qtyLots = 1 + below(r, 100);
    const order = below(r, 2) === 0 ? [0, 1] : [1, 0];
    for (const v of order) {
      if (below(r, 8) === 0) {
        views[v]!.clear(row);
        own[v]!.clear(row);
      }
      if (below(r, 2) === 0) check(v, row, `seq ${seq} before noting`);
      views[v]!.note(row, o);
      own[v]!.note(row, o);
      check(v, row, `seq ${seq} after noting`);
      assert.equal(views[v]!.count(row), own[v]!.count(row));
    }
    for (let v = 0; v < 2; v++) check(v, below(r, rows), `seq ${seq} after the record`);
  }
});
