import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AdlMode } from '../../../risk/adl.js';
import { SurplusPolicy } from '../../../risk/liquidation.js';
import { CROSS_SCOPE } from '../../../risk/shard/seams.js';
import { testSeed } from '../../support/seed.js';
import { BTC, ETH, btc, btcTicks, usdt } from '../markets.js';
import { addAccount, BTC_ID, equityOf, ETH_ID, makeState, MarketSim, openPosition, setMark } from './liquidation-sim.js';
import { eth, ethTicks, shortCounterparty } from './liquidation-scenarios.js';

// A cross account over two markets whose BTC close leaves a remainder for ADL, next to an unrelated
// isolated liquidation: every kind of effect, to replay.
function richScenario(): MarketSim {
  const state = makeState({}, usdt(20n));
  addAccount(state, 1, usdt(700n));
  openPosition(state, 1, BTC, 200n, btcTicks(60_000n));
  openPosition(state, 1, ETH, -eth(5n), ethTicks(3_000n));
  addAccount(state, 5);
  openPosition(state, 5, BTC, 300n, btcTicks(60_000n), usdt(300n));
  for (const id of [9, 3, 7]) shortCounterparty(state, id, 300n, usdt(1_000n * BigInt(id)));
  setMark(state, BTC_ID, btcTicks(59_000n));
  setMark(state, ETH_ID, ethTicks(3_050n));
  const sim = new MarketSim(state);
  sim.book(BTC_ID, [[btcTicks(58_990n), 50n]]);
  sim.book(ETH_ID, [], [[ethTicks(3_060n), eth(10n)]]);
  sim.check(1, CROSS_SCOPE);
  sim.check(5, BTC_ID);
  sim.deliver();
  return sim;
}

test('replaying the same calls on the same state gives the same effects and the same state', () => {
  const a = richScenario();
  const b = richScenario();
  assert.ok(a.effects.of('deleverage').length > 0, 'the scenario reaches ADL');
  assert.deepEqual(a.effects.calls, b.effects.calls);
  assert.equal(a.state.insuranceFundAtoms, b.state.insuranceFundAtoms);
  for (const id of [1, 3, 5, 7, 9]) assert.equal(a.state.accounts.get(id)!.walletAtoms, b.state.accounts.get(id)!.walletAtoms);
  assert.deepEqual(a.effects.violations, []);
});

interface Params {
  long: boolean;
  cross: boolean;
  lots: bigint;
  entryTicks: bigint;
  adversePermille: bigint;
  marginPermille: bigint;
  levels: [bigint, bigint][];
  fundUsdt: bigint;
  capUsdt: bigint;
  counterparties: [bigint, bigint, bigint][];
  allToFund: boolean;
  proRata: boolean;
}

/** Builds and runs one random liquidation: account 1 holds the position, 10+ the opposite side. */
function run(p: Params): MarketSim {
  const state = makeState(
    {
      insurancePerEventCapAtoms: usdt(p.capUsdt),
      surplusPolicy: p.allToFund ? SurplusPolicy.ALL_TO_IF : SurplusPolicy.CAPPED_FEE,
      adlMode: p.proRata ? AdlMode.PRO_RATA : AdlMode.SEQUENTIAL,
    },
    usdt(p.fundUsdt),
  );
  const notional = p.lots * p.entryTicks * BTC.atomsPerTickLot;
  const collateral = (notional * p.marginPermille) / 1000n;
  addAccount(state, 1, p.cross ? collateral : 0n);
  openPosition(state, 1, BTC, p.long ? p.lots : -p.lots, p.entryTicks, p.cross ? undefined : collateral);
  const move = (p.entryTicks * p.adversePermille) / 1000n;
  const mark = p.long ? p.entryTicks - move : p.entryTicks + move;
  setMark(state, BTC_ID, mark);
  // Opposite positions: the generated ones plus one that alone could take the whole position.
  const others: [bigint, bigint, bigint][] = [...p.counterparties, [p.lots, 0n, 10_000n]];
  others.forEach(([lots, entryOffsetPermille, walletUsdt], i) => {
    addAccount(state, 10 + i, usdt(walletUsdt));
    const entry = p.entryTicks + (p.entryTicks * entryOffsetPermille) / 1000n;
    openPosition(state, 10 + i, BTC, p.long ? -lots : lots, entry);
  });
  const sim = new MarketSim(state);
  // The closing side's book, best first: a long sells into bids below mark, a short buys asks above it.
  const levels = p.levels
    .map(([permille, qty]): [bigint, bigint] => [p.long ? mark - (mark * permille) / 1000n : mark + (mark * permille) / 1000n, qty])
    .sort((x, y) => (p.long ? (x[0] > y[0] ? -1 : x[0] < y[0] ? 1 : 0) : x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  if (p.long) sim.book(BTC_ID, levels);
  else sim.book(BTC_ID, [], levels);
  sim.check(1, p.cross ? CROSS_SCOPE : BTC_ID);
  sim.deliver();
  return sim;
}

const params: fc.Arbitrary<Params> = fc.record({
  long: fc.boolean(),
  cross: fc.boolean(),
  lots: fc.bigInt({ min: 1n, max: btc(3n) }),
  entryTicks: fc.bigInt({ min: btcTicks(55_000n), max: btcTicks(65_000n) }),
  adversePermille: fc.bigInt({ min: 0n, max: 80n }),
  marginPermille: fc.bigInt({ min: 0n, max: 60n }),
  levels: fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 40n }), fc.bigInt({ min: 1n, max: btc(2n) })), { maxLength: 6 }),
  fundUsdt: fc.bigInt({ min: 0n, max: 5_000n }),
  capUsdt: fc.bigInt({ min: 0n, max: 5_000n }),
  counterparties: fc.array(fc.tuple(fc.bigInt({ min: 1n, max: btc(2n) }), fc.bigInt({ min: -50n, max: 50n }), fc.bigInt({ min: 0n, max: 20_000n })), {
    maxLength: 4,
  }),
  allToFund: fc.boolean(),
  proRata: fc.boolean(),
});

/**
 * After the last sweep: the best level left within its limit, if the budget the sweep carried could still
 * have paid for one lot of it on top of what the sweep's fills cost (relative to its BP), as a line.
 */
function affordableLeft(sim: MarketSim, long: boolean): string | undefined {
  const sweeps = sim.effects.of('sweepLiquidation');
  if (sweeps.length === 0) return undefined;
  const [, , , , limit, bp, budget] = sweeps.at(-1)! as [number, number, number, bigint, bigint, bigint, bigint];
  const progress = sim.effects.of('progress');
  let lastOrder = progress.length - 1;
  while (lastOrder >= 0 && progress[lastOrder]![3] !== 'FULL_ORDER') lastOrder--;
  const a = sim.state.markets.get(BTC_ID)!.atomsPerTickLot;
  let cost = 0n;
  for (const c of progress.slice(lastOrder + 1)) {
    if (c[3] !== 'FULL_FILL') continue;
    const lots = (c[4] as bigint) < 0n ? -(c[4] as bigint) : (c[4] as bigint);
    cost += (long ? bp - (c[5] as bigint) : (c[5] as bigint) - bp) * lots * a;
  }
  const side = (long ? sim.bids : sim.asks).get(BTC_ID) ?? [];
  const best = side.find((l) => l.qtyLots > 0n && (long ? l.priceTicks >= limit : l.priceTicks <= limit));
  if (best === undefined) return undefined;
  const unit = (long ? bp - best.priceTicks : best.priceTicks - bp) * a;
  return unit <= 0n || cost + unit <= budget ? `a lot at ${best.priceTicks} was affordable (cost ${cost} + ${unit} ≤ ${budget})` : undefined;
}

test('every liquidation ends solvent, within the fund\'s budget, deleverages only opposite positions, and replays identically', () => {
  const seed = testSeed('risk/shard liquidation pipeline');
  fc.assert(
    fc.property(params, (p) => {
      const sim = run(p);
      const scope = p.cross ? CROSS_SCOPE : BTC_ID;
      assert.deepEqual(sim.effects.violations, []);
      assert.equal(sim.engine.isFrozen(1, BTC_ID), false, 'the pipeline finished');
      const steps = sim.effects.steps(1);
      if (steps.at(-1) === 'COMPLETED') {
        assert.equal(sim.state.accounts.get(1)!.positions.get(BTC_ID)!.qtyLots, 0n);
        const equity = equityOf(sim.state, 1, scope);
        // Below zero only as a reported end (the sim checks the fund paid its whole budget first).
        assert.ok(equity >= 0n || sim.effects.leftNegative.includes(1), 'I4');
        for (const [, counterparty] of sim.effects.of('deleverage')) assert.ok(equityOf(sim.state, counterparty as number, CROSS_SCOPE) >= 0n, 'ADL leaves no counterparty below zero');
        if (p.allToFund && equity >= 0n) assert.equal(equity, 0n);
        const paid = sim.effects.paidByLiquidation.get(1) ?? 0n;
        const budget = usdt(p.fundUsdt < p.capUsdt ? p.fundUsdt : p.capUsdt);
        assert.ok(paid <= budget, 'I5: the event stays within min(fund, cap)');
      } else if (steps.length > 0) {
        assert.equal(steps.at(-1), 'HEALTHY');
      }
      // ADL only for what the book could not take within the budget: after the last sweep, not one more
      // lot of the book within its limit was affordable at its BP and budget.
      if (sim.effects.of('deleverage').length > 0) {
        const line = affordableLeft(sim, p.long);
        assert.equal(line, undefined, line);
      }
      assert.deepEqual(run(p).effects.calls, sim.effects.calls, 'I10');
    }),
    { seed, numRuns: 150, includeErrorInReport: true },
  );
});
