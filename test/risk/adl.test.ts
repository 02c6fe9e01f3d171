import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import { AdlMode, adlClosePriceTicks, adlQuintile, adlScore, allocateAdl, rankAdl, type AdlCandidate } from '../../risk/adl.js';
import { compareRational, ratio } from '../../risk/units.js';
import { BTC, btc, btcTicks, usdt } from './markets.js';

const A = BTC.atomsPerTickLot;
const MARK = btcTicks(57_000n);

function candidate(accountId: number, qtyLots: bigint, entryUsdt: bigint, equityUsdt: bigint, system = false): AdlCandidate {
  return {
    accountId,
    qtyLots,
    entryCostAtoms: (qtyLots < 0n ? -qtyLots : qtyLots) * btcTicks(entryUsdt) * A,
    scopeEquityAtoms: usdt(equityUsdt),
    system,
  };
}

// A long is liquidated with the mark at 57,000; the shorts below are the candidates.
//   id 8  short 1 BTC at 60,000, equity 3,000:  pnl 5%, effLev 57,000/3,000 = 19    → score 0.95
//   id 9  short 2 BTC at 60,000, equity 12,000: pnl 5%, effLev 114,000/12,000 = 9.5 → score 0.475, notional 114,000
//   id 3  short 1 BTC at 60,000, equity 6,000:  pnl 5%, effLev 9.5                  → score 0.475, notional 57,000
//   id 7  same as id 3                                                              → after id 3 (higher id)
//   id 1  short 1 BTC at 55,000, equity 6,000:  pnl −3.6%, divided by effLev 9.5    → negative
//   id 2  short 1 BTC at 60,000, equity −100                                        → last
// Left out: id 4 (a long), id 5 (the liquidated account), id 6 (system), id 10 (flat).
const candidates: AdlCandidate[] = [
  candidate(7, -btc(1n), 60_000n, 6_000n),
  candidate(1, -btc(1n), 55_000n, 6_000n),
  candidate(4, btc(1n), 50_000n, 6_000n),
  candidate(9, -btc(2n), 60_000n, 12_000n),
  candidate(2, -btc(1n), 60_000n, -100n),
  candidate(5, -btc(1n), 60_000n, 6_000n),
  candidate(6, -btc(3n), 60_000n, 6_000n, true),
  candidate(3, -btc(1n), 60_000n, 6_000n),
  candidate(10, 0n, 0n, 6_000n),
  candidate(8, -btc(1n), 60_000n, 3_000n),
];
const LIQUIDATED_LONG = btc(1n);
const ranked = rankAdl(candidates, LIQUIDATED_LONG, 5, MARK, A);

test('the ADL score of a winner is pnl% times effective leverage', () => {
  // 5% · 19 = 0.95
  assert.equal(compareRational(adlScore(candidate(8, -btc(1n), 60_000n, 3_000n), MARK, A)!, ratio(95n, 100n)), 0);
});

test('the ADL score of a loser is pnl% divided by effective leverage', () => {
  // short at 55,000 marked 57,000: pnl −2,000/55,000; effLev 57,000/6,000 → −(2,000·6,000)/(55,000·57,000)
  assert.equal(compareRational(adlScore(candidate(1, -btc(1n), 55_000n, 6_000n), MARK, A)!, ratio(-12_000n, 3_135_000n)), 0);
});

test('a scope with no positive equity has no score', () => {
  assert.equal(adlScore(candidate(2, -btc(1n), 60_000n, 0n), MARK, A), undefined);
});

test('the queue orders by score, then larger notional, then lower account id, non-positive equity last', () => {
  assert.deepEqual(
    ranked.map((r) => r.accountId),
    [8, 9, 3, 7, 1, 2],
  );
});

test('the queue leaves out same-side positions, the liquidated account, system accounts and flat accounts', () => {
  const ids = new Set(ranked.map((r) => r.accountId));
  for (const id of [4, 5, 6, 10]) assert.equal(ids.has(id), false);
});

test('quintile 5 is the front of the queue and 1 its back', () => {
  // 6 in the queue: 5 − floor(5·rank/6) → 5, 5, 4, 3, 2, 1
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((r) => adlQuintile(r, 6)), [5, 5, 4, 3, 2, 1]);
});

test('sequential ADL closes min(remaining, Q) from each in queue order', () => {
  // 2.5 BTC: id 8 gives 1, id 9 gives 1.5
  assert.deepEqual(allocateAdl(ranked, 2_500n).lots, [1_000n, 1_500n, 0n, 0n, 0n, 0n]);
});

test('pro-rata ADL shares in proportion to Q·score and hands leftover lots out in queue order', () => {
  // weights Q·score: id 8 1·0.95, id 9 2·0.475, id 3 and id 7 0.475 each: 2 : 2 : 1 : 1.
  // 1.9 BTC: 633.3, 633.3, 316.7, 316.7 → floors 633, 633, 316, 316 (1,898) + 1 lot each to the first two
  const a = allocateAdl(ranked, 1_900n, AdlMode.PRO_RATA);
  assert.deepEqual(a, { lots: [634n, 634n, 316n, 316n, 0n, 0n], unallocatedLots: 0n });
});

test('pro-rata ADL caps a share at the position and re-shares the rest', () => {
  // 4 BTC: id 8's share 1,333.3 > 1,000 → capped; 3,000 left at 2 : 1 : 1 → 1,500, 750, 750
  assert.deepEqual(allocateAdl(ranked, 4_000n, AdlMode.PRO_RATA).lots, [1_000n, 1_500n, 750n, 750n, 0n, 0n]);
});

test('pro-rata ADL falls back to queue order for what positive scores cannot absorb', () => {
  // 5.5 BTC: the four winners hold 5 BTC and are closed in full; the last 0.5 BTC comes from id 1, next in line
  assert.deepEqual(allocateAdl(ranked, 5_500n, AdlMode.PRO_RATA).lots, [1_000n, 2_000n, 1_000n, 1_000n, 500n, 0n]);
});

test('a shortfall larger than every candidate together leaves the rest unallocated', () => {
  assert.equal(allocateAdl(ranked, btc(8n)).unallocatedLots, btc(1n));
});

const candidateArb = fc.record({
  accountId: fc.integer({ min: 0, max: 50 }),
  qtyLots: fc.bigInt({ min: -3_000n, max: 3_000n }),
  entryTicks: fc.bigInt({ min: btcTicks(50_000n), max: btcTicks(64_000n) }),
  equity: fc.bigInt({ min: -usdt(1_000n), max: usdt(20_000n) }),
  system: fc.boolean(),
});

test('the ADL queue is the same whatever order the candidates arrive in', () => {
  const seed = testSeed('risk/adl order');
  fc.assert(
    fc.property(fc.uniqueArray(candidateArb, { selector: (c) => c.accountId, maxLength: 20 }), fc.nat(), (cs, rot) => {
      const list = cs.map((c) => ({
        accountId: c.accountId,
        qtyLots: c.qtyLots,
        entryCostAtoms: (c.qtyLots < 0n ? -c.qtyLots : c.qtyLots) * c.entryTicks * A,
        scopeEquityAtoms: c.equity,
        system: c.system,
      }));
      const k = rot % (list.length || 1);
      const other = list.slice(k).concat(list.slice(0, k)).reverse();
      const ids = rankAdl(list, 1n, -1, MARK, A).map((r) => r.accountId);
      assert.deepEqual(rankAdl(other, 1n, -1, MARK, A).map((r) => r.accountId), ids);
    }),
    { seed },
  );
});

test('every ADL allocation stays within each position and places the whole shortfall when it can', () => {
  const seed = testSeed('risk/adl allocation');
  fc.assert(
    fc.property(
      fc.uniqueArray(candidateArb, { selector: (c) => c.accountId, maxLength: 20 }),
      fc.bigInt({ min: 0n, max: 40_000n }),
      fc.constantFrom(AdlMode.SEQUENTIAL, AdlMode.PRO_RATA),
      (cs, shortfall, mode) => {
        const list = cs.map((c) => ({
          accountId: c.accountId,
          qtyLots: c.qtyLots,
          entryCostAtoms: (c.qtyLots < 0n ? -c.qtyLots : c.qtyLots) * c.entryTicks * A,
          scopeEquityAtoms: c.equity,
          system: c.system,
        }));
        const queue = rankAdl(list, 1n, -1, MARK, A);
        const a = allocateAdl(queue, shortfall, mode);
        let placed = 0n;
        let capacity = 0n;
        queue.forEach((r, i) => {
          assert.ok(a.lots[i]! >= 0n && a.lots[i]! <= r.qtyLots);
          placed += a.lots[i]!;
          capacity += r.qtyLots;
        });
        const expected = shortfall < capacity ? shortfall : capacity;
        assert.equal(placed, expected);
        assert.equal(a.unallocatedLots, shortfall - expected);
      },
    ),
    { seed },
  );
});

// ADL close prices. Mark 57,000. A long liquidated with BP 56,000 (the usual case: BP beyond the mark on
// its own side) closes every counterparty short at 56,000: buying below the mark, the short gains.
test('a counterparty closes at the liquidated BP when that price does not cost it its equity', () => {
  assert.equal(adlClosePriceTicks(btcTicks(56_000n), MARK, -1, btc(1n), usdt(10n), A), btcTicks(56_000n));
  // A short liquidated with BP 58,000 closes a long counterparty, selling above the mark.
  assert.equal(adlClosePriceTicks(btcTicks(58_000n), MARK, 1, btc(1n), usdt(10n), A), btcTicks(58_000n));
  // Past the mark but within the counterparty's equity: 1 BTC short with 2,000 equity buys at 58,000 (−1,000).
  assert.equal(adlClosePriceTicks(btcTicks(58_000n), MARK, -1, btc(1n), usdt(2_000n), A), btcTicks(58_000n));
});

// The mark gapped to 57,000 while a long with BP 60,000 waited for ADL. A 0.5 BTC short with 600 USDT of
// equity would lose 0.5·3,000 = 1,500 at 60,000; it can bear 600/0.5 = 1,200 per BTC: it buys at 58,200
// and ends at equity 0; the liquidated long keeps the other 0.5·1,800 = 900 as its reported loss.
test('a counterparty that cannot bear the BP closes where its scope equity reaches zero', () => {
  const half = btc(1n) / 2n;
  const price = adlClosePriceTicks(btcTicks(60_000n), MARK, -1, half, usdt(600n), A);
  assert.equal(price, btcTicks(58_200n));
  assert.equal(half * (price - MARK) * A, usdt(600n));
  // The mirror: a short liquidated with BP 54,000, a long counterparty of 0.5 BTC with 600 USDT sells at 55,800.
  assert.equal(adlClosePriceTicks(btcTicks(54_000n), MARK, 1, half, usdt(600n), A), btcTicks(55_800n));
  // A scope already at zero (or below) takes no adverse move at all: it closes at the mark.
  assert.equal(adlClosePriceTicks(btcTicks(60_000n), MARK, -1, half, 0n, A), MARK);
  assert.equal(adlClosePriceTicks(btcTicks(54_000n), MARK, 1, half, usdt(-5n), A), MARK);
});

test('an ADL close never costs the counterparty more than its scope equity', () => {
  const seed = testSeed('adl close price');
  fc.assert(
    fc.property(
      fc.bigInt({ min: 1n, max: 2_000_000n }),
      fc.bigInt({ min: 1n, max: 2_000_000n }),
      fc.constantFrom(1 as const, -1 as const),
      fc.bigInt({ min: 1n, max: 100_000n }),
      fc.bigInt({ min: -1_000_000n, max: 10n ** 12n }),
      (bp, mark, sign, lots, equity) => {
        const p = adlClosePriceTicks(bp, mark, sign, lots, equity, A);
        assert.ok(p >= 1n);
        const adverse = sign < 0 ? p - mark : mark - p;
        const loss = adverse > 0n ? lots * adverse * A : 0n;
        assert.ok(loss <= (equity > 0n ? equity : 0n), `loss ${loss} over equity ${equity}`);
        // Never better for the counterparty than the BP: the liquidated scope gets the BP or worse only by what the counterparty could not bear.
        if (sign < 0) assert.ok(p <= bp);
        else assert.ok(p >= bp || p === 1n);
      },
    ),
    { seed },
  );
});
