// The restore tool replays long journals in slices so its progress bar moves through one shard's replay,
// not only between shards (verify, hash, inspect): the slices report the records behind the replay as it
// goes, and end in the state one replay of the whole journal reaches.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { openData } from '../../exchange/restore/data.js';
import { applyLogIn, readHistories, replayConfig } from '../../exchange/restore/history.js';
import { ShardReplica } from '../../exchange/snapshots/shard-replica.js';
import { testSeed } from '../support/seed.js';
import { writeDataDir } from '../persistence/data-fixture.js';

test('a replay in slices reports its progress slice by slice and reaches the state of one replay of the whole journal', async () => {
  const seed = testSeed('replay slices');
  const { dir } = await writeDataDir(seed, 400);
  const d = await openData(dir);
  try {
    for (const h of await readHistories(d)) {
      const end = h.log.firstPosition + h.log.count;
      const whole = ShardReplica.fresh(replayConfig(d), h.shard);
      whole.applyLog(h.log, end);
      const sliced = ShardReplica.fresh(replayConfig(d), h.shard);
      const reports: number[] = [];
      applyLogIn(sliced, h.log, end, (n) => reports.push(n), 8);
      assert.ok(h.log.count > 16, `shard ${h.shard}: ${h.log.count} records, seed ${seed}`);
      assert.deepEqual(reports, Array.from({ length: Math.ceil(h.log.count / 8) }, (_, i) => Math.min(h.log.count, 8 * (i + 1))), `shard ${h.shard}, seed ${seed}`);
      assert.equal(sliced.stateHash(), whole.stateHash(), `shard ${h.shard}, seed ${seed}`);
    }
  } finally {
    await d.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
