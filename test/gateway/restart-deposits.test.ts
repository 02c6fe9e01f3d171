// Wallets in the read models across a restart under a stream of deposits and withdrawals (issue #10/#9
// defect hunt): a durable threaded exchange with two risk shards takes seeded deposits, stops, and starts
// again from its journal behind the gateway's Dispatcher. Deposits and withdrawals keep arriving from the
// first moment: while the shards copy their state (shardStates, an account at a time between batches),
// while the copy waits for the journal's cut, and after the read models loaded it (RestartGate). Once
// quiet, every account's wallet the read models show equals the one a fresh copy of the shards' state
// shows: a record inside the copy applied again would credit twice, one past it dropped would be missing.
//
// Quiet means two things: every shard has handled everything (drained()) and every record it made has
// been released to the gateway. The second lags the first by a journal sync (poll() releases a record
// only once the input that made it is durable), so the test takes a copy (which waits for the cut to
// cover it) and only then polls the last records out before comparing.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord } from '../../engine/ring/layouts/index.js';
import { Durability } from '../../exchange/durability.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { Dispatcher } from '../../gateway/dispatch.js';
import { offer, quiet } from './support/restart-flow.js';
import { AccountViews } from '../../gateway/views/account-views.js';
import { loadViews } from '../../gateway/views/restart-state.js';
import { riskMarket } from '../../risk/shard/config.js';
import type { Cmd } from '../support/commands.js';
import { deposit, withdraw } from '../support/risk-commands.js';
import { below, rng } from '../support/seed.js';

const BTC = DEFAULT_MARKETS[0]!;
const TOPOLOGY = new Topology({ marketShards: [[BTC]], riskShards: 2 });
const RISK_MARKETS = [riskMarket(BTC)];
const ACCOUNTS = 300;
const USDT = 1_000_000n;

const durableAt = (dir: string) => Durability.open({ dir, log: () => {} }, TOPOLOGY, { topology: TOPOLOGY.config, riskMarkets: RISK_MARKETS });
const start = async (dir: string) => ThreadedExchange.start({ topology: TOPOLOGY, riskMarkets: RISK_MARKETS, ringCapacity: 1024, durability: await durableAt(dir) });

/**
 * Seeded deposits (mostly) and withdrawals, request ids from `firstId`, in blocks of `block` operations per
 * account (each account's last operation somewhere in the run): an account whose last record a restart
 * dropped or undid keeps the wrong wallet to the end instead of being set right by a later one.
 */
function flow(seed: number, count: number, firstId: number, block: number): Cmd[] {
  const r = rng(seed);
  const out: Cmd[] = [];
  for (let i = 0; i < count; i++) {
    const account = 1 + (Math.floor(i / block) % ACCOUNTS);
    const amount = BigInt(1 + below(r, 1_000)) * USDT;
    out.push(below(r, 4) === 0 ? withdraw(account, amount / 4n, firstId + i) : deposit(account, amount, firstId + i));
  }
  return out;
}



const wallets = (v: AccountViews) => {
  const out: string[] = [];
  for (let a = 1; a <= ACCOUNTS; a++) {
    const b = v.get(a)?.balance;
    out.push(`${a}:${b?.wallet}:${b?.withdrawable}`);
  }
  return out;
};

for (const seed of [21, 22, 23]) {
  test(`seed ${seed}: deposits and withdrawals arriving throughout a restart leave the read models' wallets equal to the shards'`, async () => {
    console.log(`seed ${seed}`);
    const dir = mkdtempSync(join(tmpdir(), 'perpx-restart-deposits-'));
    try {
      const first = await start(dir);
      const before = flow(seed, 600, 1, 2);
      for (let i = 0; i < before.length; ) {
        i = offer(first, before, i, 64);
        first.poll(() => {});
        await first.waitForOutput(1);
      }
      await quiet(first, () => first.poll(() => {}));
      await first.stop();

      const ex = await start(dir);
      try {
        const views = new AccountViews();
        const d = new Dispatcher(ex, () => {});
        d.add({ onRecord: (b, at) => views.apply(decodeRecord(b, at)), restore: (s) => loadViews(views, s) });
        d.beginRestore();
        let loadedAt = -1;
        const after = flow(seed * 1_000, 3_000, 1_000, 10);
        // Offered from before the copy is asked for, so records arrive while it is built and awaited.
        let i = offer(ex, after, 0, 64);
        const loaded = ex.shardStates().then((s) => {
          d.finishRestore(s);
          loadedAt = i;
        });
        while (i < after.length) {
          i = offer(ex, after, i, 16);
          d.pollOnce();
          await ex.waitForOutput(1);
        }
        await loaded;
        assert.ok(loadedAt > 0 && loadedAt < after.length, `the read models loaded the copy while operations arrived (at ${loadedAt} of ${after.length})`);
        const states = await quiet(ex, () => d.pollOnce());
        const fresh = new AccountViews();
        loadViews(fresh, states);
        assert.deepEqual(wallets(views), wallets(fresh));
      } finally {
        await ex.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
