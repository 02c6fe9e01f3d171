// The risk shard's state hash: FNV-1a 64 (engine/book/state-hash.ts) over a canonical sequence of words.
// Everything that can reach an output is in it, each collection in ascending id order:
//
//   VERSION, shard id and count, the shard's time (its clock)
//   ledgers       insurance fund, fee pool, funding clearing, net deposits, next liquidation id,
//                 next system order id, applied top-up ids
//   markets       id, mark, index, reduce-only, last funding rate, next funding time
//   accounts      id, wallet, fee tier, liquidation id, margin-called, applied request ids, then positions
//                 by market (quantity, entry cost, realized PnL, mode, leverage, M_iso, order margin and
//                 the mark and acceptance it was computed by, liquidation id, margin-called, published
//                 LP/BP/tier/quintile/UPnL), each with its open orders by id (ids, side, price, rest,
//                 filled, flags, what their acceptance replaced); a blank position (PositionState.isBlank)
//                 is left out: it is the same state as none
//   monitor       per market: epoch, mark, pending pops, each open position's keys and which of them are
//                 parked, the multi-market cross accounts; the queued scopes in order; the scopes with
//                 negative equity; the cached ADL quintile boundaries; each ADL ranking job under way
//                 (its start, and every member's values at the start, by account)
//   pipeline      the liquidation engine's own state (LiquidationHooks.hashState): runs by scope key,
//                 the order ids they wait on, parked scopes, fund reservations, pending Deleverages
//   streams       the last seq consumed per input, the next seq of each output
// bigints are written as 64-bit two's complement words, with extra words for the rare value past 64 bits.

import { StateHash } from '../../engine/book/state-hash.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import type { ShardParts } from './shard-parts.js';

const VERSION = 0x33534b52; // 'RKS3'
const MASK_32 = 0xffffffffn;

class Hasher extends StateHash {
  big(v: bigint): void {
    const low = BigInt.asUintN(64, v);
    this.word(Number(low & MASK_32));
    this.word(Number(low >> 32n));
    if (BigInt.asIntN(64, v) !== v) {
      // Past 64 bits: the rest, then a marker so such values cannot collide with two in-range ones.
      this.big(v >> 64n);
      this.word(0x7fffffff);
    }
  }

  ids(values: Iterable<number>): void {
    const sorted = [...values].sort((a, b) => a - b);
    this.int(sorted.length);
    for (const v of sorted) this.int(v);
  }
}

/** Stream positions: the last seq consumed per input and the output streams (their next seq). */
export interface StreamPositions {
  readonly inputs: readonly number[];
  readonly gateway: EventOutput;
  readonly markets: readonly EventOutput[];
}

/** The hash of the shard's state; without `streams`, of everything but the stream positions. */
export function riskStateHash(p: ShardParts, streams?: StreamPositions): bigint {
  const h = new Hasher();
  h.begin();
  h.word(VERSION);
  const s = p.state;
  h.int(s.shardId);
  h.int(s.shardCount);
  h.int(p.clock.nowUs);
  h.big(s.insuranceFundAtoms);
  h.big(s.feePoolAtoms);
  h.big(s.fundingClearingAtoms);
  h.big(s.netDepositsAtoms);
  h.int(s.peekLiquidationId());
  h.int(p.commands.issuedSystemIds);
  h.ids(s.appliedTopUps);

  const marketIds = s.sortedMarketIds();
  h.int(marketIds.length);
  for (const id of marketIds) {
    const m = s.markets.get(id)!;
    h.int(id);
    h.big(m.markPriceTicks);
    h.big(m.indexPriceTicks);
    h.word(m.reduceOnly ? 1 : 0);
    h.big(m.lastFundingRate);
    h.int(m.nextFundingTimeUs);
  }

  const accountIds = s.sortedAccountIds();
  h.int(accountIds.length);
  for (const id of accountIds) {
    const a = s.accounts.get(id)!;
    h.int(id);
    h.big(a.walletAtoms);
    h.int(a.feeTier);
    h.int(a.liquidationId);
    h.word(a.marginCalled ? 1 : 0);
    h.ids(a.appliedRequests);
    // In window order: it decides which id is evicted next.
    h.int(a.placedOrderIds.size);
    for (const id of a.placedOrderIds.inOrder()) h.int(id);
    const positionIds = [...a.positions.keys()].filter((m) => !a.positions.get(m)!.isBlank(s.markets.get(m)!.config.defaultLeverage)).sort((x, y) => x - y);
    h.int(positionIds.length);
    for (const marketId of positionIds) {
      const pos = a.positions.get(marketId)!;
      h.int(marketId);
      h.big(pos.qtyLots);
      h.big(pos.entryCostAtoms);
      h.big(pos.realizedPnlAtoms);
      h.word(pos.marginMode);
      h.big(pos.leverage);
      h.big(pos.isolatedMarginAtoms);
      h.big(pos.orderMarginAtoms);
      h.int(pos.reserveMarkTicks);
      h.int(pos.reserveOrderId);
      h.int(pos.liquidationId);
      h.word(pos.marginCalled ? 1 : 0);
      const d = pos.derived;
      h.big(d.liquidationPriceTicks);
      h.big(d.bankruptcyPriceTicks);
      h.int(d.tier);
      h.int(d.adlQuintile);
      h.big(d.unrealizedPnlAtoms);
      const orderIds = [...pos.orders.keys()].sort((x, y) => x - y);
      h.int(orderIds.length);
      for (const orderId of orderIds) {
        const o = pos.orders.get(orderId)!;
        h.int(o.orderId);
        h.int(o.clientOrderId);
        h.word(o.side);
        h.big(o.priceTicks);
        h.big(o.remainingLots);
        h.big(o.filledLots);
        h.word((o.reduceOnly ? 1 : 0) | (o.cancelRequested ? 2 : 0) | (o.origin << 8));
        h.int(o.markBeforeTicks);
        h.int(o.reserveOrderIdBefore);
      }
    }
  }

  for (const id of marketIds) {
    const t = p.monitor.triggers.get(id)!;
    h.int(id);
    h.int(t.epoch);
    h.int(t.markTicks);
    h.word(t.popPending ? 1 : 0);
    const slotIds = t.sortedAccountIds();
    h.int(slotIds.length);
    for (const accountId of slotIds) {
      const slot = t.slots.get(accountId)!;
      h.int(accountId);
      h.int(slot.downKey);
      h.int(slot.upKey);
      h.word(t.parkedFlags(slot));
    }
    h.ids(t.multiMarketCross);
  }
  let queued = 0;
  p.monitor.forEachQueued(() => queued++);
  h.int(queued);
  p.monitor.forEachQueued((accountId, scopeMarketId, reason) => {
    h.int(accountId);
    h.int(scopeMarketId);
    h.word(reason);
  });
  h.ids(p.evaluator.negativeEquity);
  p.quintiles.forEachCached(
    (marketId, epoch, builtAtUs) => {
      h.int(marketId);
      h.int(epoch);
      h.int(builtAtUs);
    },
    (long, count, accountId) => {
      h.word(long ? 1 : 0);
      h.int(count);
      h.int(accountId);
    },
  );
  p.quintiles.forEachJob(
    (marketId, epoch, startUs, progress) => {
      h.int(marketId);
      h.int(epoch);
      h.int(startUs);
      h.int(progress);
    },
    (accountId, c) => {
      h.int(accountId);
      h.big(c.qtyLots);
      h.big(c.entryCostAtoms);
      h.big(c.scopeEquityAtoms);
    },
  );
  p.hooks.hashState(h);
  if (streams !== undefined) {
    h.int(streams.inputs.length);
    for (const seq of streams.inputs) h.int(seq);
    h.int(streams.gateway.nextSeq);
    h.int(streams.markets.length);
    for (const o of streams.markets) h.int(o.nextSeq);
  }
  return h.digest();
}
