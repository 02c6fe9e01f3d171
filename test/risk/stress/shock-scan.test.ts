// What-if shock scans (risk/stress/): a hand-worked population, the scan against the risk shard's own
// scope evaluation at shocked marks over random populations, chunking, and the piscina pool.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { CROSS_SCOPE } from '../../../risk/shard/seams.js';
import { evaluateScope } from '../../../risk/shard/liquidation-scope.js';
import { MarginMode, type RiskState } from '../../../risk/shard/state.js';
import { buildScanSnapshot, ScanSnapshotBuilder, type ScanSnapshot } from '../../../risk/stress/scan-snapshot.js';
import { emptyTally, mergeTally, scanScopes, shockedMarkTicks, uniformShocks, type Shock, type ShockTally } from '../../../risk/stress/shock-scan.js';
import { scanInThread, ShockScanner } from '../../../risk/stress/shock-scanner.js';
import { testSeed } from '../../support/seed.js';
import { BTC, ETH, btc, btcTicks, usdt } from '../markets.js';
import { addAccount, BTC_ID, ETH_ID, makeState, openPosition, setMark } from '../shard/liquidation-sim.js';
import { eth, ethTicks } from '../shard/liquidation-scenarios.js';

// Population, marks BTC 60,000 and ETH 3,000, fund 1,000, cap 500 per event:
//   account 1  cross long 1 BTC at 60,000, wallet 6,000             equity 6,000 + N − 60,000
//   account 2  isolated short 0.5 BTC at 60,000, M_iso 3,000          equity 3,000 − 0.5·(MP − 60,000)
//   account 3  cross: long 1 BTC at 60,000 and short 10 ETH at 3,000, wallet 1,000 (a hedge: BTC −10% and
//              ETH −10% give −6,000 + 3,000 = −3,000)
// Shock −10%: BTC 54,000, ETH 2,700. Account 1: 0 (liquidatable, not bankrupt). Account 2: 6,000.
//   Account 3: 1,000 − 6,000 + 3,000 = −2,000: bankrupt, deficit 2,000, capped at 500.
// Shock −20%: account 1: −6,000; account 3: 1,000 − 12,000 + 6,000 = −5,000. Deficit 11,000, worst
//   account 1; the fund pays min(1,000, 500 + 500) = 1,000: uncovered 10,000.
// Shock +10%: account 2: 3,000 − 3,000 = 0 (liquidatable); account 3: 1,000 + 6,000 − 3,000 = 4,000.
function handPopulation(): RiskState {
  const state = makeState({ insurancePerEventCapAtoms: usdt(500n) }, usdt(1_000n));
  setMark(state, BTC_ID, btcTicks(60_000n));
  setMark(state, ETH_ID, ethTicks(3_000n));
  addAccount(state, 1, usdt(6_000n));
  openPosition(state, 1, BTC, btc(1n), btcTicks(60_000n));
  addAccount(state, 2);
  openPosition(state, 2, BTC, -btc(1n) / 2n, btcTicks(60_000n), usdt(3_000n));
  addAccount(state, 3, usdt(1_000n));
  openPosition(state, 3, BTC, btc(1n), btcTicks(60_000n));
  openPosition(state, 3, ETH, -eth(10n), ethTicks(3_000n));
  return state;
}

const scanner = new ShockScanner({ threads: 2, chunkScopes: 7 });
after(() => scanner.close());

test('the snapshot holds each open scope once: cross first, then isolated, ascending account', () => {
  const snap = buildScanSnapshot(handPopulation());
  assert.equal(snap.scopeCount, 3);
  assert.equal(snap.positionCount, 4);
  assert.deepEqual([...snap.scopeAccount], [1, 2, 3]);
  assert.deepEqual([...snap.scopeMarketId], [CROSS_SCOPE, BTC_ID, CROSS_SCOPE]);
  assert.deepEqual([...snap.scopeCollateralAtoms], [usdt(6_000n), usdt(3_000n), usdt(1_000n)]);
  assert.deepEqual([...snap.scopeStart], [0, 1, 2, 4]);
  assert.deepEqual([...snap.positionQtyLots], [btc(1n), -btc(1n) / 2n, btc(1n), -eth(10n)]);
  assert.ok(snap.scopeAccount.buffer instanceof SharedArrayBuffer, 'pool threads read it without a copy');
});

test('a scope in a market without a mark is counted, not scanned', () => {
  const state = handPopulation();
  addAccount(state, 4, usdt(10n));
  openPosition(state, 4, ETH, eth(1n), ethTicks(3_000n));
  setMark(state, ETH_ID, 0n);
  const snap = buildScanSnapshot(state);
  // Accounts 3 (cross with ETH) and 4 are left out.
  assert.deepEqual([...snap.scopeAccount], [1, 2]);
  assert.equal(snap.unmarkedScopes, 2);
});

test('hand-worked shocks: liquidatable and bankrupt scopes, deficit, the worst scope and what the fund cannot cover', async () => {
  const snap = buildScanSnapshot(handPopulation());
  const shocks = uniformShocks([-1_000, -2_000, 1_000], 2);
  const report = await scanner.scan([snap], shocks);
  const [down10, down20, up10] = report.outcomes;
  assert.deepEqual([down10!.liquidatable, down10!.bankrupt, down10!.deficitAtoms, down10!.cappedDeficitAtoms], [2, 1, usdt(2_000n), usdt(500n)]);
  assert.deepEqual([down10!.worstAccountId, down10!.worstScopeMarketId], [3, CROSS_SCOPE]);
  assert.equal(down10!.uncoveredAtoms, usdt(1_500n));
  assert.deepEqual([down20!.bankrupt, down20!.deficitAtoms, down20!.worstAccountId, down20!.worstDeficitAtoms], [2, usdt(11_000n), 1, usdt(6_000n)]);
  assert.equal(down20!.uncoveredAtoms, usdt(10_000n));
  assert.deepEqual([up10!.liquidatable, up10!.bankrupt, up10!.deficitAtoms, up10!.uncoveredAtoms], [1, 0, 0n, 0n]);
  assert.equal(up10!.worstAccountId, -1);
  assert.equal(report.outcomes[0]!.insuranceFundAtoms, usdt(1_000n));
  assert.deepEqual(report, scanInThread([snap], shocks));
});

test('a shocked mark rounds down and never reaches zero; a move below −100% is refused', () => {
  assert.equal(shockedMarkTicks(12_345n, -1_000), 11_110n);
  assert.equal(shockedMarkTicks(12_345n, -10_000), 1n);
  assert.equal(shockedMarkTicks(12_345n, 250), 12_653n);
  assert.throws(() => shockedMarkTicks(12_345n, -10_001), RangeError);
  assert.throws(() => shockedMarkTicks(12_345n, 0.5), RangeError);
});

// ---- random populations against the shard's own evaluation ------------------------------------------

interface Member {
  wallet: bigint;
  btcLots: bigint;
  btcEntry: bigint;
  btcIsolated: bigint | undefined;
  ethLots: bigint;
  ethEntry: bigint;
}

const member: fc.Arbitrary<Member> = fc.record({
  wallet: fc.bigInt({ min: 0n, max: usdt(50_000n) }),
  btcLots: fc.bigInt({ min: -btc(5n), max: btc(5n) }),
  btcEntry: fc.bigInt({ min: btcTicks(40_000n), max: btcTicks(80_000n) }),
  btcIsolated: fc.option(fc.bigInt({ min: -usdt(100n), max: usdt(20_000n) }), { nil: undefined }),
  ethLots: fc.bigInt({ min: -eth(50n), max: eth(50n) }),
  ethEntry: fc.bigInt({ min: ethTicks(2_000n), max: ethTicks(4_000n) }),
});

function population(members: readonly Member[], fund: bigint): RiskState {
  const state = makeState({ insurancePerEventCapAtoms: usdt(2_000n) }, fund);
  setMark(state, BTC_ID, btcTicks(60_000n));
  setMark(state, ETH_ID, ethTicks(3_000n));
  members.forEach((m, i) => {
    const id = 10 + i * 7;
    addAccount(state, id, m.wallet);
    if (m.btcLots !== 0n) openPosition(state, id, BTC, m.btcLots, m.btcEntry, m.btcIsolated);
    if (m.ethLots !== 0n) openPosition(state, id, ETH, m.ethLots, m.ethEntry);
  });
  return state;
}

/** The same tallies from evaluateScope (risk/shard) at the shocked marks, scope by scope. */
function reference(state: RiskState, shock: Shock): ShockTally {
  const t = emptyTally();
  const base = new Map([...state.markets].map(([id, m]) => [id, m.markPriceTicks]));
  const ids = [...base.keys()].sort((a, b) => a - b);
  ids.forEach((id, i) => setMark(state, id, shockedMarkTicks(base.get(id)!, shock.bps[i] ?? 0)));
  try {
    for (const accountId of state.sortedAccountIds()) {
      const account = state.accounts.get(accountId)!;
      const scopes: number[] = [];
      const positions = [...account.positions.values()].filter((p) => p.qtyLots !== 0n).sort((a, b) => a.marketId - b.marketId);
      if (positions.some((p) => p.marginMode === MarginMode.CROSS)) scopes.push(CROSS_SCOPE);
      for (const p of positions) if (p.marginMode === MarginMode.ISOLATED) scopes.push(p.marketId);
      for (const scope of scopes) {
        const m = evaluateScope(state, account, scope)!;
        const one = emptyTally();
        one.scopes = 1;
        one.maintenanceAtoms = m.maintenanceAtoms;
        one.liquidatable = m.liquidatable ? 1 : 0;
        if (m.equityAtoms < 0n) {
          one.bankrupt = 1;
          one.deficitAtoms = -m.equityAtoms;
          const cap = state.pool.insurancePerEventCapAtoms;
          one.cappedDeficitAtoms = -m.equityAtoms < cap ? -m.equityAtoms : cap;
          one.worstDeficitAtoms = -m.equityAtoms;
          one.worstAccountId = accountId;
          one.worstScopeMarketId = scope;
        }
        mergeTally(t, one);
      }
    }
  } finally {
    for (const [id, mark] of base) setMark(state, id, mark);
  }
  return t;
}

const shockArb = fc.array(fc.tuple(fc.integer({ min: -9_000, max: 9_000 }), fc.integer({ min: -9_000, max: 9_000 })), { minLength: 1, maxLength: 4 });

test('the scan equals the risk shard\'s own scope evaluation at the shocked marks, however the scopes are split', () => {
  const seed = testSeed('shock scan vs evaluateScope');
  fc.assert(
    fc.property(fc.array(member, { maxLength: 25 }), shockArb, fc.array(fc.nat(30), { maxLength: 4 }), (members, moves, cuts) => {
      const state = population(members, usdt(3_000n));
      const snap = buildScanSnapshot(state);
      const shocks: Shock[] = moves.map(([b, e], i) => ({ name: `s${i}`, bps: [b, e] }));
      const whole = scanScopes(snap, shocks);
      shocks.forEach((s, k) => assert.deepEqual(whole[k], reference(state, s), `shock ${s.name}`));
      // Any split merges back to the same tallies.
      const bounds = [0, ...cuts.map((c) => Math.min(c, snap.scopeCount)).sort((a, b) => a - b), snap.scopeCount];
      const merged = shocks.map(emptyTally);
      for (let i = 0; i + 1 < bounds.length; i++) scanScopes(snap, shocks, bounds[i]!, bounds[i + 1]!).forEach((t, k) => mergeTally(merged[k]!, t));
      assert.deepEqual(merged, whole);
    }),
    { seed, numRuns: 100 },
  );
});

test('the piscina pool gives the report the calling thread gives, over several shards', async () => {
  const seed = testSeed('shock scan pool');
  const members = fc.sample(fc.array(member, { minLength: 20, maxLength: 60 }), { seed, numRuns: 3 });
  const snapshots: ScanSnapshot[] = members.map((m, i) => buildScanSnapshot(population(m, usdt(1_000n * BigInt(i)))));
  const shocks = uniformShocks([-5_000, -2_500, -1_000, 1_000, 2_500], 2);
  const pooled = await scanner.scan(snapshots, shocks);
  assert.deepEqual(pooled, scanInThread(snapshots, shocks));
  assert.equal(pooled.scopes, snapshots.reduce((n, s) => n + s.scopeCount, 0));
  assert.ok(pooled.outcomes[0]!.bankrupt > 0, `a 50% crash bankrupts someone (seed ${seed})`);
});

test('a snapshot copied a few accounts per step equals the one-shot copy, and cannot finish early', () => {
  const seed = testSeed('scan snapshot slices');
  const members = fc.sample(fc.array(member, { minLength: 30, maxLength: 60 }), { seed, numRuns: 1 })[0]!;
  const state = population(members, usdt(1_000n));
  const whole = buildScanSnapshot(state);
  for (const slice of [1, 2, 7, 1_000]) {
    const b = new ScanSnapshotBuilder(state);
    let steps = 1;
    if (slice < members.length) assert.throws(() => b.finish(), /not copied yet/);
    while (!b.step(slice)) steps++;
    assert.equal(steps, Math.max(1, Math.ceil(members.length / slice)));
    assert.equal(b.remaining, 0);
    assert.deepEqual(b.finish(), whole, `slices of ${slice}`);
  }
});
