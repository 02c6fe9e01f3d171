// The read models of a restarted gateway when a risk shard's state copy takes several slices (issue #9/#10):
// one risk shard of 10,000 accounts, copied 2,048 accounts per loop turn (risk-shard-worker.ts), each slice
// with the gateway-stream seq of its moment. Deposits and withdrawals, and trades between pairs of accounts,
// arrive from before the copy is asked for until well after, one money operation per account, the accounts
// in a stride across all slices, so that during the copy some land on accounts of a slice already copied
// and some on accounts of one still to come.
//
// Checked against the truth, not the gate's own rule: every risk record the read models apply is newer
// than what the copy holds of its account, and no account shows a fill twice (nothing applied twice); once
// quiet every account's wallet, positions and open orders equal a fresh copy's (nothing missing: an
// account's one money operation dropped leaves its wallet wrong for good).
// A gate that filtered by one seq per shard fails the one or the other: the copy's first seq applies the
// later slices' records twice, its last drops the early slices' records after their copy.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { Durability } from '../../exchange/durability.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { Dispatcher } from '../../gateway/dispatch.js';
import { offer, quiet } from './support/restart-flow.js';
import { AccountViews } from '../../gateway/views/account-views.js';
import { loadViews } from '../../gateway/views/restart-state.js';
import { riskMarket } from '../../risk/shard/config.js';
import type { Cmd } from '../support/commands.js';
import { indexTick, place } from '../support/commands.js';
import { deposit, withdraw } from '../support/risk-commands.js';
import { Side } from '../../engine/enums.js';
import { below, rng, testSeed } from '../support/seed.js';

const BTC = DEFAULT_MARKETS[0]!;
const TOPOLOGY = new Topology({ marketShards: [[BTC]], riskShards: 1 });
const RISK_MARKETS = [riskMarket(BTC)];
const ACCOUNTS = 10_000;
/** Coprime with ACCOUNTS: i ↦ i · STRIDE mod ACCOUNTS visits every account once. */
const STRIDE = 2_503;
const MID = 600_000;
/** Every command's time (µs): one instant, so no command is ever behind the shards' clocks. */
const T = Date.now() * 1_000;
/** The command at time T. */
const atT = (c: Cmd): Cmd => ({ ...c, header: { ...c.header, timeUs: T } });

/** A trade of one lot at MID: `seller` rests a sell, `buyer` takes it (order ids `id` and `id + 1`). */
const trade = (seller: number, buyer: number, id: number): Cmd[] => [
  place({ orderId: id, accountId: seller, side: Side.SELL, priceTicks: MID, qtyLots: 1, timeUs: T }),
  place({ orderId: id + 1, accountId: buyer, side: Side.BUY, priceTicks: MID, qtyLots: 1, timeUs: T }),
];
const USDT = 1_000_000n;

const start = async (dir: string) =>
  ThreadedExchange.start({ topology: TOPOLOGY, riskMarkets: RISK_MARKETS, ringCapacity: 1024, durability: await Durability.open({ dir, log: () => {} }, TOPOLOGY, { topology: TOPOLOGY.config, riskMarkets: RISK_MARKETS }) });


async function drive(ex: ThreadedExchange, cmds: Cmd[], poll: () => unknown): Promise<void> {
  for (let i = 0; i < cmds.length; ) {
    i = offer(ex, cmds, i, 256);
    poll();
    await ex.waitForOutput(1);
  }
}


/** Per account: wallet, position per market, open order ids. */
const accounts = (v: AccountViews) => {
  const out: string[] = [];
  for (let a = 1; a <= ACCOUNTS; a++) {
    const x = v.get(a);
    const positions = [...(x?.positions.values() ?? [])].map((p) => `${p.market}:${p.qty}`).sort();
    const open = [...(x?.open.keys() ?? [])].sort((p, q) => p - q);
    out.push(`${a}: wallet ${x?.balance?.wallet} positions ${positions.join(' ')} open ${open.join(' ')}`);
  }
  return out;
};

/** Waits until the risk shard has a mark for BTC (asked once quiet: a shard whose gateway stream is full would wait). */
async function marked(ex: ThreadedExchange): Promise<void> {
  for (;;) {
    const snaps = await ex.scanSnapshots();
    if (snaps.every((x) => x.markets.some((m) => m.marketId === BTC.marketId && m.markTicks > 0n))) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('a restarted gateway’s read models equal the risk shard’s truth when its state copy takes several slices', async () => {
  const seed = testSeed('restart slices');
  const r = rng(seed);
  const dir = mkdtempSync(join(tmpdir(), 'perpx-restart-slices-'));
  try {
    const first = await start(dir);
    await drive(first, [indexTick(MID, T), ...Array.from({ length: ACCOUNTS }, (_, i) => atT(deposit(1 + i, BigInt(1_000_000 + below(r, 1_000)) * USDT, 1 + i)))], () => first.poll(() => {}));
    await quiet(first, () => first.poll(() => {}));
    await marked(first);
    // Positions and resting orders in the copy: trades between neighbours, and a resting sell every 50 accounts.
    const before: Cmd[] = [];
    for (let a = 1; a + 1 <= ACCOUNTS; a += 20) before.push(...trade(a, a + 1, 2 * a));
    for (let a = 3; a <= ACCOUNTS; a += 50) before.push(place({ orderId: 100_000 + a, accountId: a, side: Side.SELL, priceTicks: MID + 100 + below(r, 100), qtyLots: 1, timeUs: T }));
    await drive(first, before, () => first.poll(() => {}));
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
          // Records came between slices: slices stand at different seqs.
          assert.ok(seqs.size >= 2, `the copy's slices stand at seqs ${[...seqs].join(', ')} from ${risk.startSeq}`);
          loadViews(views, s);
        },
      });
      d.beginRestore();
      // One operation per account (an account's only record after the restart is never set right by a later
      // one), the accounts in a stride through all slices: during the copy, operations land on accounts of
      // slices already copied and of slices still to come.
      const accountOf = (i: number) => 1 + ((i * STRIDE) % ACCOUNTS);
      // Every fourth operation also a trade between the next two accounts of the stride.
      const after: Cmd[] = [];
      for (let i = 0; i < ACCOUNTS; i++) {
        after.push(atT(below(r, 3) === 0 ? withdraw(accountOf(i), BigInt(1 + below(r, 50)) * USDT, 10_000 + i) : deposit(accountOf(i), BigInt(1 + below(r, 500)) * USDT, 10_000 + i)));
        if (i % 4 === 0) after.push(...trade(accountOf(i + 1), accountOf(i + 2), 1_000_000 + 2 * i));
      }
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
      assert.deepEqual(twice.slice(0, 5), [], `no record the copy already held was applied again (${twice.length})`);
      let fills = 0;
      for (let a = 1; a <= ACCOUNTS; a++) {
        const ids = (await views.history.fills.newest(a, 1_000)).map((f) => f.tradeId);
        fills += ids.length;
        assert.equal(new Set(ids).size, ids.length, `account ${a}: a fill shown twice (${ids.join(', ')})`);
      }
      assert.ok(fills > 1_000, `trades happened after the restart (${fills} fills)`);
      const fresh = new AccountViews();
      loadViews(fresh, states);
      const truth = accounts(fresh);
      const differ = accounts(views).filter((w, k) => w !== truth[k]);
      assert.deepEqual(differ.slice(0, 5), [], `accounts equal the shards' (${differ.length} differ)`);
      assert.ok(truth.filter((x) => !x.includes('positions  ')).length > 1_000, 'positions in the truth');
    } finally {
      await ex.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
