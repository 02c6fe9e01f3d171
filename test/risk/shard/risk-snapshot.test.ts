// The risk-shard codec on random states, values past 2^53, −0 in number slots, and the read-only views
// tools use: a decoded risk shard re-encodes to the same bytes and has the same state hash; its view
// reports what its state holds, and across shards open interest agrees with the books' positions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OrderOrigin, Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { MarketShardView } from '../../../engine/shard/market-shard-view.js';
import { readSnapshotStreams } from '../../../engine/snapshot/shard-streams.js';
import { ShardKind } from '../../../engine/snapshot/snapshot-format.js';
import { EncodeBuffer } from '../../../engine/snapshot/snapshot-writer.js';
import { DEFAULT_POOL, riskMarket } from '../../../risk/shard/config.js';
import { LiquidationEngine } from '../../../risk/shard/liquidation-engine.js';
import type { OrderMap } from '../../../risk/shard/order-map.js';
import { RiskShardView } from '../../../risk/shard/risk-shard-view.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { viewSnapshot } from '../../../risk/shard/snapshot-view.js';
import { AccountState, MarginMode, OpenOrderState } from '../../../risk/shard/state.js';
import { ActionDriver } from '../../property/action-driver.js';
import { worldArb } from '../../property/exchange-actions.js';
import { testSeed } from '../../support/seed.js';

const RUNS = process.env.CI === 'true' ? 12 : 20;

function decodeRisk(bytes: Uint8Array): RiskShard {
  const { streams } = readSnapshotStreams(bytes);
  return RiskShard.decode(bytes, new MemoryOutput(1, streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new MemoryOutput(1, s)));
}

test('a risk shard decoded from a random world re-encodes to the same bytes, with the same hash, and its views agree with the books', () => {
  const seed = testSeed('risk-shard snapshot property');
  // One buffer for every shard's snapshot: reused when the last one was larger, grown when it was smaller.
  const reused = new EncodeBuffer();
  let ranked = 0;
  fc.assert(
    fc.property(worldArb({ shards: true, jumpPercent: 40 }, 20, 120), (world) => {
      const d = new ActionDriver(world.population);
      d.run(world);
      const x = d.h.exchange;
      const oi = new Map<number, { long: bigint; short: bigint }>();
      for (const shard of x.riskShards) {
        const bytes = shard.encodeState();
        const decoded = decodeRisk(bytes);
        assert.deepEqual(decoded.encodeState(), bytes);
        // Into a buffer kept between encodes, left full of another snapshot's bytes and garbage.
        reused.bytes?.fill(0xa5);
        assert.deepEqual(shard.encodeState(reused), bytes);
        assert.equal(decoded.stateHash(), shard.stateHash());
        // The open orders' best-first lists are derived, not in the bytes: the decode rebuilt them.
        for (const account of decoded.state.accounts.values()) {
          for (const pos of account.positions.values()) {
            const c = (pos.openOrders as OrderMap | undefined)?.columns;
            if (c === undefined) continue;
            ranked += c.count;
            assert.equal(c.checkRanks(), undefined, `best-first lists of ${account.id}/${pos.marketId}`);
            const live = (shard.state.accounts.get(account.id)!.positions.get(pos.marketId)!.openOrders as OrderMap).columns;
            for (const side of ['bestBuys', 'bestSells'] as const) assert.deepEqual([...c[side]].map((i) => c.prices[i]), [...live[side]].map((i) => live.prices[i]), `${side} prices of ${account.id}/${pos.marketId}`);
          }
        }
        const view = viewSnapshot(bytes) as RiskShardView;
        assert.ok(view instanceof RiskShardView);
        const s = view.summary();
        assert.equal(s.header.kind, ShardKind.RISK);
        assert.equal(s.header.stateHash, shard.stateHash());
        assert.equal(s.accounts, shard.state.accounts.size);
        assert.equal(s.insuranceFundAtoms, shard.state.insuranceFundAtoms);
        assert.equal(s.feePoolAtoms, shard.state.feePoolAtoms);
        for (const m of s.markets) {
          const t = oi.get(m.marketId) ?? { long: 0n, short: 0n };
          oi.set(m.marketId, { long: t.long + m.longLots, short: t.short + m.shortLots });
        }
        for (const id of shard.state.sortedAccountIds()) {
          const a = view.account(id)!;
          const state = shard.state.accounts.get(id)!;
          assert.equal(a.walletAtoms, state.walletAtoms);
          assert.equal(a.positions.length, state.positions.size);
          for (const p of a.positions) assert.equal(p.qtyLots, state.positions.get(p.marketId)!.qtyLots);
        }
        assert.equal(view.account(999_999), undefined);
      }
      for (const [i, m] of x.marketShards.entries()) {
        const view = viewSnapshot(m.encodeState()) as MarketShardView;
        assert.ok(view instanceof MarketShardView);
        assert.equal(view.summary().header.shardId, i);
        for (const b of view.summary().markets) {
          const t = oi.get(b.marketId) ?? { long: 0n, short: 0n };
          assert.equal(t.long, t.short, `market ${b.marketId}: longs and shorts over the risk shards`);
          assert.equal(BigInt(b.openInterestLots), t.long, `market ${b.marketId}: the book's open interest and the risk shards'`);
          assert.equal(b.restingOrders + b.stopOrders, x.marketShards[i]!.book(b.marketId)!.orders().length);
        }
        for (const shard of x.riskShards) {
          for (const [id, a] of shard.state.accounts) {
            const inBooks = view.account(id);
            for (const pos of a.positions.values()) {
              if (!m.marketIds.includes(pos.marketId)) continue;
              const there = inBooks?.markets.find((k) => k.marketId === pos.marketId);
              assert.equal(BigInt(there?.positionLots ?? 0), pos.qtyLots, `account ${id} in market ${pos.marketId}: book and risk positions`);
            }
          }
        }
      }
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true },
  );
  assert.ok(ranked > 0, `seed ${seed}: no decoded position held open orders`);
});

test('values a number slot keeps in bigint, past 2^53, and −0 in a number slot come back exactly', () => {
  const markets = DEFAULT_MARKETS.map((m) => riskMarket(m));
  const shard = new RiskShard(0, 1, markets, DEFAULT_POOL, () => 0, new MemoryOutput(), [new MemoryOutput()], (state, effects) => new LiquidationEngine(state, effects, DEFAULT_POOL));
  const p = shard.parts;
  const s = shard.state;
  const account = new AccountState(4);
  s.accounts.set(4, account);
  account.walletAtoms = 2n ** 60n + 7n;
  const pos = p.positionOf(account, s.markets.get(1)!);
  pos.qtyLots = 3n;
  pos.entryCostAtoms = 2n ** 55n + 1n;
  pos.realizedPnlAtoms = -(2n ** 57n);
  pos.isolatedMarginN = -0;
  pos.marginMode = MarginMode.ISOLATED;
  pos.orderMarginAtoms = 2n ** 54n;
  pos.derived.liquidationPriceTicks = 2n ** 53n;
  pos.derived.unrealizedPnlN = -0;
  pos.orders.set(9, new OpenOrderState(9, 0, 1, Side.SELL, 2n ** 56n, 2n ** 53n + 1n, true, OrderOrigin.USER));
  s.feePoolAtoms = -(2n ** 62n);
  s.insuranceFundAtoms = 2n ** 70n;
  s.fundingClearingAtoms = -(2n ** 66n);
  s.markets.get(2)!.markPriceTicks = 2n ** 54n;

  const bytes = shard.encodeState();
  const d = decodeRisk(bytes);
  assert.deepEqual(d.encodeState(), bytes);
  const a = d.state.accounts.get(4)!;
  const q = a.positions.get(1)!;
  assert.equal(a.walletAtoms, 2n ** 60n + 7n);
  assert.ok(Number.isNaN(a.walletN), 'the wallet lives in its bigint slot');
  assert.equal(q.entryCostAtoms, 2n ** 55n + 1n);
  assert.equal(q.realizedPnlAtoms, -(2n ** 57n));
  assert.equal(q.orderMarginAtoms, 2n ** 54n);
  assert.equal(q.qtyN, 3);
  assert.ok(Object.is(q.isolatedMarginN, -0) && Object.is(q.derived.unrealizedPnlN, -0), '−0 stays −0');
  assert.equal(q.marginMode, MarginMode.ISOLATED);
  assert.equal(q.derived.liquidationPriceTicks, 2n ** 53n);
  const o = q.orders.get(9)!;
  assert.deepEqual([o.priceTicks, o.remainingLots, o.side, o.reduceOnly], [2n ** 56n, 2n ** 53n + 1n, Side.SELL, true]);
  assert.equal(d.state.feePoolAtoms, -(2n ** 62n));
  assert.equal(d.state.insuranceFundAtoms, 2n ** 70n);
  assert.equal(d.state.fundingClearingAtoms, -(2n ** 66n));
  assert.equal(d.state.markets.get(2)!.markPriceTicks, 2n ** 54n);
  assert.equal(d.stateHash(), shard.stateHash());
});

test('a view\'s account detail reports the account as its state holds it', () => {
  const markets = DEFAULT_MARKETS.map((m) => riskMarket(m));
  const shard = new RiskShard(0, 1, markets, DEFAULT_POOL, () => 0, new MemoryOutput(), [new MemoryOutput()], (state, effects) => new LiquidationEngine(state, effects, DEFAULT_POOL));
  const account = new AccountState(6);
  shard.state.accounts.set(6, account);
  account.walletAtoms = 5_000_000_000n;
  account.feeTier = 2;
  account.appliedRequests.add(11);
  const pos = shard.parts.positionOf(account, shard.state.markets.get(2)!);
  pos.qtyLots = -40n;
  pos.entryCostAtoms = 80_000_000_000n;
  pos.orders.set(3, new OpenOrderState(3, 77, 2, Side.BUY, 199_000n, 10n, false, OrderOrigin.USER));
  shard.state.markets.get(2)!.markPriceTicks = 200_000n;
  const view = new RiskShardView(shard.encodeState());
  const a = view.account(6)!;
  assert.equal(a.walletAtoms, 5_000_000_000n);
  assert.equal(a.feeTier, 2);
  assert.equal(a.appliedRequests, 1);
  // Cross equity: the wallet and the short's UPnL at the mark (80,000 USDT of cost, 40 lots × 2,000 = 80,000 now).
  assert.equal(a.crossEquityAtoms, 5_000_000_000n + 80_000_000_000n - 40n * 200_000n * shard.state.markets.get(2)!.atomsPerTickLot);
  assert.equal(a.positions.length, 1);
  assert.deepEqual([a.positions[0]!.marketId, a.positions[0]!.qtyLots, a.positions[0]!.marginMode], [2, -40n, 'cross']);
  assert.deepEqual(a.positions[0]!.openOrders, [{ orderId: 3, clientOrderId: 77, side: Side.BUY, priceTicks: 199_000n, remainingLots: 10n, filledLots: 0n, reduceOnly: false, origin: OrderOrigin.USER }]);
  const summary = view.summary();
  assert.deepEqual([summary.accounts, summary.openPositions, summary.openOrders], [1, 1, 1]);
  assert.deepEqual(summary.markets.map((m) => [m.marketId, m.longLots, m.shortLots]), [[1, 0n, 0n], [2, 0n, 40n]]);
});
