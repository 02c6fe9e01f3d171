// Withdrawals by withdrawalId across a restart of the exchange and the gateway from their data
// directories, recovering the risk shard from its journal alone and from a snapshot taken after the
// withdrawal: a repeat returns the first result from the gateway's store, and with the gateway's records
// of it gone (a store that lost them) the risk shard's recovered applied set still refuses a second debit.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { Family, familyRange } from '../../gateway/auth/gateway-keys.js';
import { PerpxClient } from '../../gateway/client/client.js';
import type { GatewayError, Withdrawal } from '../../gateway/client/types.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { RiskShardView } from '../../risk/shard/risk-shard-view.js';
import { durableAt, startHarness, until, USDT } from './support/harness.js';

const RISK_SHARD = 1; // the harness's topology: market shard 0, risk shard 1
const SNAPSHOTS = { everyRecords: 1, everyMs: 3_600_000, keep: 2 };

for (const fromSnapshot of [false, true]) {
  test(`after a restart of the exchange and the gateway (risk shard from ${fromSnapshot ? 'a snapshot' : 'its journal'}) a repeated withdrawalId debits nothing more`, async () => {
    const [dir, gwDir] = ['journal', 'store'].map((what) => mkdtempSync(join(tmpdir(), `perpx-gw-withdraw-${what}-`))) as [string, string];
    const open = (create = false) => RocksStore.open(gwDir, { createIfMissing: create });
    try {
      const d1 = await durableAt(dir, fromSnapshot ? { snapshots: SNAPSHOTS } : {});
      const h1 = await startHarness({ durability: d1, store: await open(true) });
      let t: Awaited<ReturnType<typeof h1.trader>>;
      let first: Withdrawal;
      let second: Withdrawal;
      try {
        t = await h1.trader({ scopes: ['read', 'trade', 'withdraw'], usdt: 100n });
        first = await t.client.withdraw(10n * USDT, 1);
        second = await t.client.withdraw(20n * USDT, 2);
        if (fromSnapshot) {
          // A risk snapshot begun after both withdrawals were durable: one that ends, then one that a
          // record after that end starts.
          const taken = () => d1.snapshotter!.taken.filter((x) => x.info.shard === RISK_SHARD).length;
          const n = taken();
          await until(() => taken() > n, 'a risk snapshot');
          await t.client.setLeverage(1, 5);
          await until(() => taken() > n + 1, 'a risk snapshot after both withdrawals');
        }
      } finally {
        await h1.stop();
      }

      // The gateway forgets withdrawal 2 (its store lost the record): only the shard knows it.
      const s = await open();
      const ops = [];
      for await (const e of s.scan(familyRange(Family.WITHDRAWAL))) if (e.key[e.key.length - 1] === 2) ops.push({ type: 'del' as const, key: e.key });
      assert.equal(ops.length, 1);
      await s.write(ops, true);
      await s.close();

      const d2 = await durableAt(dir, fromSnapshot ? { snapshots: SNAPSHOTS } : {});
      const h2 = await startHarness({ durability: d2, store: await open() });
      try {
        const base = d2.bases[RISK_SHARD];
        assert.equal(base !== undefined, fromSnapshot, 'recovered from a snapshot exactly when one was taken');
        if (base !== undefined) assert.equal(new RiskShardView(base.bytes).account(t.accountId)!.walletAtoms, 70n * USDT, 'the snapshot holds both withdrawals');
        const c = await PerpxClient.connect(h2.url);
        await c.login(t.creds);
        assert.deepEqual({ ...(await c.withdraw(10n * USDT, 1)), replayed: false }, first, 'the first result, from the gateway’s store');
        const code = await c.withdraw(20n * USDT, 2).then(() => 0, (e: GatewayError) => e.code);
        assert.equal(code, Code.DUPLICATE_REQUEST, 'the shard applied it before the restart and refuses it again');
        assert.equal((await c.balances()).balance!['wallet'], second.wallet, 'each withdrawal debited once');
        assert.equal(second.wallet, 70n * USDT);
        await c.close();
      } finally {
        await h2.stop();
      }
    } finally {
      for (const d of [dir, gwDir]) rmSync(d, { recursive: true, force: true });
    }
  });
}
