// The risk shard's state hash: the canonical sequence of words everything that can reach an output makes,
// each collection in ascending id order, fed to a Hasher (risk-hasher.ts: how values become 32-bit words,
// and the two mixer definitions, one per risk snapshot format version). The sections, in order:
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
//                 parked, the multi-market cross accounts; the queued scopes in order; the funded scopes
//                 held for the funding round's close; the scopes with negative equity; the cached ADL
//                 quintile boundaries; each ADL ranking job under way: in definition 1 its start and
//                 every member's values at the start, by account; in definition 2 its start with every
//                 market's mark then, and every member by account with its values only where they are
//                 not those its state now gives at the start marks (never for a member not keyed yet)
//   pipeline      the liquidation engine's own state (LiquidationHooks.hashState): runs by scope key,
//                 the order ids they wait on, parked scopes, fund reservations, pending Deleverages
//   streams       the last seq consumed per input, the next seq of each output

import { bytesAsWords } from '../../engine/shard/listing-assembly.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import { forEachByKey } from './key-order.js';
import { newHasher, RISK_HASH_VERSION, type Hasher } from './risk-hasher.js';
import type { ShardParts } from './shard-parts.js';
import { positionFields } from './state-snapshot.js';
import type { AccountState, PositionState, RiskState } from './state.js';

const VERSION = 0x33534b52; // 'RKS3'
const LISTED_TAG = 0x5453494c; // 'LIST'

/** Stream positions: the last seq consumed per input and the output streams (their next seq). */
export interface StreamPositions {
  readonly inputs: readonly number[];
  readonly gateway: EventOutput;
  readonly markets: readonly EventOutput[];
}

/**
 * The hash of the shard's state; without `streams`, of everything but the stream positions. `inStep`: the
 * accounts already hashed in a snapshot's pass over them (AccountsInStep), used when it saw them all in
 * ascending id order and nothing before them changed since; otherwise the accounts are walked here.
 * `version`: the definition (newHasher), inStep's when given.
 */
export function riskStateHash(p: ShardParts, streams?: StreamPositions, inStep?: AccountsInStep, version = inStep?.version ?? RISK_HASH_VERSION): bigint {
  if (inStep !== undefined && inStep.version !== version) throw new RangeError(`a pass hashed in definition ${inStep.version}, asked for ${version}`);
  let h = inStep?.hashedAll(p);
  if (h === undefined) {
    h = newHasher(version);
    hashHead(h, p, p.state.accounts.size);
    const hasher = h;
    forEachByKey(p.state.accounts, (a) => hashAccount(hasher, a, p.state.markets));
  }
  hashTail(h, p, streams);
  return h.digest();
}

/**
 * The accounts' part of the state hash, computed while a snapshot's encode writes them or its decode has
 * just built them (in the snapshot's order, the accounts map's), so one pass reads each account for both:
 * a million accounts' worth of cache misses fewer. The hash is the same sequence of words as
 * riskStateHash's own walk (it is that walk's code), so only when the pass met the accounts in ascending id
 * order, every one of them (the usual case: accounts are opened in id order); else riskStateHash walks
 * them itself. What comes before the accounts in the hash (ledgers, markets, the clock) is hashed when the
 * pass starts and checked again at the end.
 */
export class AccountsInStep {
  private readonly h: Hasher;
  private head = 0n;
  private count = -1;
  private seen = 0;
  private lastId = -1;
  private inOrder = true;

  /** `version`: the hash definition (newHasher); a decode takes its snapshot's format version. */
  constructor(
    private readonly p: ShardParts,
    readonly version = RISK_HASH_VERSION,
  ) {
    this.h = newHasher(version);
  }

  /** Before the first account: `count` accounts will follow. */
  start(count: number): void {
    hashHead(this.h, this.p, count);
    this.head = this.h.digest();
    this.count = count;
  }

  /** The next account of the pass, complete (its positions and orders in place). */
  readonly account = (a: AccountState): void => {
    if (!this.inOrder) return;
    if (a.id <= this.lastId) {
      this.inOrder = false;
      return;
    }
    this.lastId = a.id;
    this.seen++;
    hashAccount(this.h, a, this.p.state.markets);
  };

  /**
   * The next account of an encode's pass, for hashing its positions as they are written: the hasher, with
   * the account's own fields and its count of positions already hashed, when each of its positions is to
   * be hashed in the order the snapshot writes them (its map order is ascending by market and none is
   * blank: the usual case), so the caller hashes each as it writes it (positionFields) and not account();
   * else undefined, and the caller hands the account to account() once written. Interleaving the two
   * streams of work lets the processor write one field while the hash's chain of multiplications, which
   * waits on the previous word, runs (docs/SNAPSHOTS.md, "The encode at risksnap6").
   */
  positionsInStep(a: AccountState): Hasher | undefined {
    if (!this.inOrder || a.id <= this.lastId || !a.positions.ascending || !noneBlank(a, this.p.state.markets)) return undefined;
    this.lastId = a.id;
    this.seen++;
    hashAccountHead(this.h, a);
    this.h.int(a.positions.size);
    return this.h;
  }

  /** The hasher after the accounts, if the pass covered them as riskStateHash's walk would. */
  hashedAll(p: ShardParts): Hasher | undefined {
    if (p !== this.p || !this.inOrder || this.seen !== this.count || p.state.accounts.size !== this.count) return undefined;
    const again = newHasher(this.version);
    hashHead(again, p, this.count);
    return again.digest() === this.head ? this.h : undefined;
  }
}

/** VERSION, the shard, its clock, ledgers and markets, and the number of accounts that follow. */
function hashHead(h: Hasher, p: ShardParts, accounts: number): void {
  h.begin();
  h.word(VERSION);
  const s = p.state;
  h.int(s.shardId);
  h.int(s.shardCount);
  h.int(p.clock.nowUs);
  h.big(s.insuranceFundAtoms);
  h.exact(s.feePoolN, s.feePoolN === s.feePoolN ? undefined : s.feePoolAtoms);
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
    h.exact(m.markN, m.markN === m.markN ? undefined : m.markPriceTicks);
    h.big(m.indexPriceTicks);
    h.word(m.reduceOnly ? 1 : 0);
    h.big(m.lastFundingRate);
    h.int(m.nextFundingTimeUs);
  }
  // Markets listed at run time (which, from which bytes, on which market shard) and a ListMarket group
  // arriving, only when there are any: a shard that never took a listing hashes as before.
  const listed = p.listings.markets();
  const pending = p.listings.assembly.stateParts();
  if (listed.length > 0 || pending.length > 0) {
    h.word(LISTED_TAG);
    h.int(listed.length);
    for (const l of listed) {
      h.int(l.marketId);
      h.int(l.shard);
      for (const w of bytesAsWords(l.listing)) h.big(w);
    }
    h.int(pending.length);
    for (const w of pending) h.big(w);
  }
  h.int(accounts);
}

/** One account, its positions by market and their open orders by id. */
function hashAccount(h: Hasher, a: AccountState, markets: RiskState['markets']): void {
  hashAccountHead(h, a);
  // Positions are never removed, so the account's cached market order is its sorted keys; a blank
  // position is the same state as none and is left out. Indexed loops: a for-of here allocated an
  // iterator result per position.
  const positions = a.positionsInOrder();
  let kept = 0;
  for (let i = 0; i < positions.length; i++) if (!isBlank(positions[i]!, markets)) kept++;
  h.int(kept);
  for (let i = 0; i < positions.length; i++) {
    const pos = positions[i]!;
    if (kept < positions.length && isBlank(pos, markets)) continue;
    positionFields(undefined, h, pos);
  }
}

/** The account's own fields: everything hashAccount hashes before the count of positions. */
function hashAccountHead(h: Hasher, a: AccountState): void {
  h.int(a.id);
  h.exact(a.walletN, a.walletN === a.walletN ? undefined : a.walletAtoms);
  h.int(a.feeTier);
  h.int(a.liquidationId);
  h.word(a.marginCalled ? 1 : 0);
  h.ids(a.appliedRequests);
  // In window order: it decides which id is evicted next.
  const placed = a.placedOrderWindow;
  h.int(placed === undefined ? 0 : placed.size);
  placed?.forEachInOrder(h.intOf);
}

/** No position of the account is blank, so hashAccount hashes all of them. */
function noneBlank(a: AccountState, markets: RiskState['markets']): boolean {
  const positions = a.positionsInOrder();
  for (let i = 0; i < positions.length; i++) if (isBlank(positions[i]!, markets)) return false;
  return true;
}

/** PositionState.isBlank, without looking its market up for a position that is open (nearly all). */
function isBlank(pos: PositionState, markets: RiskState['markets']): boolean {
  return pos.qtyN === 0 && pos.isBlank(markets.get(pos.marketId)!.config.defaultLeverage);
}

/** The margin monitor, the quintile cache and ranking jobs, the liquidation pipeline, the streams. */
function hashTail(h: Hasher, p: ShardParts, streams: StreamPositions | undefined): void {
  const marketIds = p.state.sortedMarketIds();
  for (const id of marketIds) {
    const t = p.monitor.triggers.get(id)!;
    h.int(id);
    h.int(t.epoch);
    h.int(t.markTicks);
    h.word(t.popPending ? 1 : 0);
    h.int(t.size);
    t.forEachByAccount((slot) => {
      h.int(t.accountIdAt(slot));
      h.int(t.downKeyAt(slot));
      h.int(t.upKeyAt(slot));
      h.word(t.parkedFlags(slot));
    });
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
  h.ids(p.monitor.fundedScopes);
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
  if (h.version === 1) {
    p.quintiles.forEachJob(
      (marketId, epoch, startUs, progress) => {
        h.int(marketId);
        h.int(epoch);
        h.int(startUs);
        h.int(progress);
      },
      (accountId, qtyLots, entryCostAtoms, scopeEquityAtoms) => {
        h.int(accountId);
        h.value(qtyLots);
        h.value(entryCostAtoms);
        h.value(scopeEquityAtoms);
      },
    );
  } else {
    // Definition 2: a member whose values are those its state gives now by its id alone (forEachJobStart).
    p.quintiles.forEachJobStart(
      (marketId, epoch, startUs, progress, members, startSerial) => {
        h.int(marketId);
        h.int(epoch);
        h.int(startUs);
        h.int(progress);
        h.int(members);
        h.int(startSerial);
      },
      (marketId, markN, markTicks) => {
        h.int(marketId);
        h.exact(markN, markN === markN ? undefined : markTicks);
      },
      h.intOf,
      (accountId, qtyLots, entryCostAtoms, scopeEquityAtoms, same) => {
        h.int(accountId);
        h.word(same ? 0 : 1);
        if (same) return;
        h.value(qtyLots);
        h.value(entryCostAtoms);
        h.value(scopeEquityAtoms);
      },
    );
  }
  p.hooks.hashState(h);
  if (streams !== undefined) {
    h.int(streams.inputs.length);
    for (const seq of streams.inputs) h.int(seq);
    h.int(streams.gateway.nextSeq);
    h.int(streams.markets.length);
    for (const o of streams.markets) h.int(o.nextSeq);
  }
}
