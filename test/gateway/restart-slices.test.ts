// The read models of a restarted gateway when a risk shard's state copy takes several slices (issue #9/#10):
// one risk shard of 10,000 accounts, copied 2,048 accounts per loop turn (risk-shard-worker.ts), each slice
// with the gateway-stream seq of its moment. Deposits and withdrawals arrive from before the copy is asked
// for until well after, one operation per account, the accounts in a stride across all slices, so that
// during the copy some land on accounts of a slice already copied and some on accounts of one still to come.
//
// Checked against the truth, not the gate's own rule: every risk record the read models apply is newer
// than what the copy holds of its account (nothing applied twice), and once quiet every wallet equals a
// fresh copy's (nothing missing: an account's one operation dropped leaves its wallet wrong for good).
// A gate that filtered by one seq per shard fails the one or the other: the copy's first seq applies the
// later slices' records twice, its last drops the early slices' records after their copy.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord, encodeRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { Durability } from '../../exchange/durability.js';
import type { ShardStates } from '../../exchange/shard-states.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { Dispatcher } from '../../gateway/dispatch.js';
import { AccountViews } from '../../gateway/views/account-views.js';
import { loadViews } from '../../gateway/views/restart-state.js';
import { riskMarket } from '../../risk/shard/config.js';
import type { Cmd } from '../support/commands.js';
import { deposit, withdraw } from '../support/risk-commands.js';
import { below, rng, testSeed } from '../support/seed.js';

const BTC = DEFAULT_MARKETS[0]!;
const TOPOLOGY = new Topology({ marketShards: [[BTC]], riskShards: 1 });
const RISK_MARKETS = [riskMarket(BTC)];
const ACCOUNTS = 10_000;
/** Coprime with ACCOUNTS: i ↦ i · STRIDE mod ACCOUNTS visits every account once. */
const STRIDE = 2_503;
const USDT = 1_000_000n;

const start = async (dir: string) =>
  ThreadedExchange.start({ topology: TOPOLOGY, riskMarkets: RISK_MARKETS, ringCapacity: 1024, durability: await Durability.open({ dir, log: () => {} }, TOPOLOGY, { topology: TOPOLOGY.config, riskMarkets: RISK_MARKETS }) });

/** Offers what the ring takes of `cmds` from `from`; returns the index of the first not taken. */
function offer(ex: ThreadedExchange, cmds: Cmd[], from: number, max: number): number {
  const buf = RecordBuffer.allocate(1);
  let i = from;
  for (; i < cmds.length && i < from + max; i++) {
    const c = cmds[i]!;
    encodeRecord(buf, 0, c.layout, c.header, c.body);
    if (!ex.offer(buf, 0)) break;
  }
  ex.flush();
  return i;
}

async function drive(ex: ThreadedExchange, cmds: Cmd[], poll: () => unknown): Promise<void> {
  for (let i = 0; i < cmds.length; ) {
    i = offer(ex, cmds, i, 256);
    poll();
    await ex.waitForOutput(1);
  }
}

/** Waits until every shard handled everything and every record it made was polled; returns a copy taken then. */
async function quiet(ex: ThreadedExchange, poll: () => number): Promise<ShardStates> {
  for (;;) {
    while (poll() > 0);
    if (ex.drained()) {
      const states = await ex.shardStates();
      while (poll() > 0);
      if (ex.drained()) return states;
    }
    await ex.waitForOutput(5);
  }
}

const wallets = (v: AccountViews) => {
  const out: string[] = [];
  for (let a = 1; a <= ACCOUNTS; a++) out.push(`${a}:${v.get(a)?.balance?.wallet}`);
  return out;
};

test('a restarted gateway’s read models equal the risk shard’s truth when its state copy takes several slices', async () => {
  const seed = testSeed('restart slices');
  const r = rng(seed);
  const dir = mkdtempSync(join(tmpdir(), 'perpx-restart-slices-'));
  try {
    const first = await start(dir);
    await drive(first, Array.from({ length: ACCOUNTS }, (_, i) => deposit(1 + i, BigInt(100 + below(r, 1_000)) * USDT, 1 + i)), () => first.poll(() => {}));
    await quiet(first, () => first.poll(() => {}));
    await first.stop();

    const ex = await start(dir);
    try {
      const views = new AccountViews();
      /** Per account, the gateway-stream seq its copy stands at (the copy's start seq for one it lacks). */
      let copySeq: ((account: number) => number) | undefined;
      const twice: string[] = [];
      const d = new Dispatcher(ex, () => {});
      d.add({
        onRecord: (b, at, from) => {
          if (from.kind === 'risk' && copySeq !== undefined && b.seq(at) <= copySeq(b.accountId(at))) twice.push(`account ${b.accountId(at)}: record seq ${b.seq(at)}, its copy at ${copySeq(b.accountId(at))}`);
          views.apply(decodeRecord(b, at));
        },
        restore: (s) => {
          const risk = s.risk[0]!;
          const rec = new RecordBuffer(risk.records.buffer as ArrayBuffer, risk.records.byteOffset, risk.records.byteLength);
          const byAccount = new Map<number, number>();
          for (let i = 0; i < risk.count; i++) byAccount.set(rec.accountId(rec.at(i)), rec.seq(rec.at(i)));
          copySeq = (a) => byAccount.get(a) ?? risk.startSeq;
          const seqs = new Set(byAccount.values());
          // Records came between slices: at least three slices stand at different seqs.
          assert.ok(seqs.size >= 3, `the copy's slices stand at seqs ${[...seqs].join(', ')} from ${risk.startSeq}`);
          loadViews(views, s);
        },
      });
      d.beginRestore();
      // One operation per account (an account's only record after the restart is never set right by a later
      // one), the accounts in a stride through all slices: during the copy, operations land on accounts of
      // slices already copied and of slices still to come.
      const accountOf = (i: number) => 1 + ((i * STRIDE) % ACCOUNTS);
      const after = Array.from({ length: ACCOUNTS }, (_, i) => (below(r, 3) === 0 ? withdraw(accountOf(i), BigInt(1 + below(r, 50)) * USDT, 10_000 + i) : deposit(accountOf(i), BigInt(1 + below(r, 500)) * USDT, 10_000 + i)));
      // The copy is asked for first, then the ring filled: the shard handles records between its slices.
      const loaded = ex.shardStates().then((s) => d.finishRestore(s));
      let i = offer(ex, after, 0, 1024);
      while (i < after.length) {
        i = offer(ex, after, i, 64);
        d.pollOnce();
        await ex.waitForOutput(1);
      }
      await loaded;
      const states = await quiet(ex, () => d.pollOnce());
      assert.deepEqual(twice.slice(0, 5), [], 'no record the copy already held was applied again');
      const fresh = new AccountViews();
      loadViews(fresh, states);
      const truth = wallets(fresh);
      const differ = wallets(views).filter((w, k) => w !== truth[k]);
      assert.deepEqual(differ.slice(0, 5), [], `wallets equal the shard's (${differ.length} differ)`);
    } finally {
      await ex.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
