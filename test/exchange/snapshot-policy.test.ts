// A snapshot policy no snapshotter can follow is refused when the data directory is opened, naming the
// field, before anything is created or started.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { Durability } from '../../exchange/durability.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { fixtureConfig, fixtureTopology } from '../persistence/data-fixture.js';

test('a snapshot policy with a zero, fractional or negative field is refused naming it, and nothing is created', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'perpx-policy-'));
  const dir = join(parent, 'data');
  try {
    const bad: [object, RegExp][] = [
      [{ everyRecords: 0, everyMs: 1_000, keep: 1 }, /everyRecords must be an integer ≥ 1, got 0/],
      [{ everyRecords: 10, everyMs: 1.5, keep: 1 }, /everyMs must be an integer ≥ 1, got 1.5/],
      [{ everyRecords: 10, everyMs: 1_000, keep: 0 }, /keep must be an integer ≥ 1, got 0/],
      [{ everyRecords: 10, everyMs: 1_000, keep: 2, windowUs: -1 }, /windowUs must be an integer ≥ 0, got -1/],
      [{ everyRecords: 10, everyMs: 1_000, keep: 2, windowRecords: 1.5 }, /windowRecords must be an integer ≥ 0, got 1.5/],
    ];
    for (const [snapshots, message] of bad) {
      await assert.rejects(Durability.open({ dir, log: () => {}, snapshots: snapshots as never }, fixtureTopology, fixtureConfig), message);
      assert.equal(existsSync(dir), false, 'no data directory was created');
    }
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test('the snapshotter starts only once every shard has recovered, not beside their replay', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'perpx-policy-'));
  const dir = join(parent, 'data');
  const snapshots = { everyRecords: 1_000, everyMs: 60_000, keep: 2 };
  try {
    const d = await Durability.open({ dir, log: () => {}, snapshots }, fixtureTopology, fixtureConfig);
    const journal = d.journalHost(Doorbell.create());
    await journal.start();
    try {
      assert.equal(d.snapshotter?.started, false, 'not started with the journal writer');
      d.startSnapshots();
      assert.equal(d.snapshotter?.started, true);
    } finally {
      await journal.stop();
    }
    // Through the exchange: started by the time it serves.
    const again = await Durability.open({ dir, log: () => {}, snapshots }, fixtureTopology, fixtureConfig);
    const ex = await ThreadedExchange.start({ topology: fixtureTopology, riskMarkets: fixtureConfig.riskMarkets, durability: again });
    try {
      assert.equal(again.snapshotter?.started, true);
    } finally {
      await ex.stop();
    }
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
