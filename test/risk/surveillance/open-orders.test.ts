// The surveillance engine's open-order index (a direct-mapped ring by id with an overflow map) must answer
// exactly as a Map would, whatever the ids: sequential ones, ids far apart that share ring positions,
// ids beyond 2^32, id 0, and through the ring's growth.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenOrders } from '../../../risk/surveillance/open-orders.js';
import { WatchedOrder } from '../../../risk/surveillance/watched-order.js';
import { below, rng, testSeed } from '../../support/seed.js';

test('open orders answer as a Map of the same adds and deletes, for sequential, colliding and huge ids', () => {
  const seed = testSeed('open orders');
  const r = rng(seed);
  const index = new OpenOrders();
  const model = new Map<number, WatchedOrder>();
  let nextId = 1;
  const pickId = (): number => {
    switch (below(r, 4)) {
      case 0:
        return nextId++;
      case 1:
        return 4_096 * below(r, 64); // share ring positions (and id 0)
      case 2:
        return 2 ** 32 + below(r, 8_192); // beyond 32 bits: positions shared with small ids
      default:
        return Number.MAX_SAFE_INTEGER - below(r, 1_000);
    }
  };
  for (let step = 0; step < 60_000; step++) {
    // Grow to ~20k open orders (several ring resizes), then shrink.
    const adding = step < 40_000 ? below(r, 3) !== 0 : below(r, 3) === 0;
    if (adding) {
      const id = pickId();
      if (model.has(id)) {
        assert.equal(index.has(id), true, `seed ${seed}, step ${step}: ${id} open`);
        continue;
      }
      const o = new WatchedOrder(step);
      o.orderId = id;
      index.add(o);
      model.set(id, o);
    } else {
      const open = [...model.keys()];
      const id = open.length > 0 && below(r, 4) !== 0 ? open[below(r, open.length)]! : pickId();
      index.delete(id);
      model.delete(id);
    }
    const probe = below(r, 2) === 0 ? pickId() : nextId - 1 - below(r, 50);
    assert.equal(index.get(probe), model.get(probe), `seed ${seed}, step ${step}: lookup of ${probe}`);
    assert.equal(index.size, model.size, `seed ${seed}, step ${step}: size`);
  }
  for (const [id, o] of model) assert.equal(index.get(id), o, `seed ${seed}: ${id} at the end`);
});
