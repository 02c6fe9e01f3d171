// MarginMonitor: what a mark update (and a funding payment) makes the risk shard look at, in bounded
// pieces (docs/RISK-SHARD.md, "Mark updates and liquidation candidates").
//
//   MarkPriceUpdated(m) ──▶ m's triggers: parked keys join the heaps, popPending
//                       └─▶ cross accounts also holding other markets: queue their scope (their LPs
//                           elsewhere moved with m's mark)
//   every input record ──▶ work(): pop up to maxChecksPerUpdate reached keys (live ones), queue their
//                           scopes; then evaluate up to maxChecksPerUpdate queued scopes, oldest first
//                           (ScopeEvaluator: figures, fresh keys, PositionUpdated, margin call,
//                           LiquidationHooks.check; AccountUpdated after a funded cross scope)
// Whatever is left carries over to the next record, whatever its kind (AdvanceTime exists for this), so
// a cascade cannot stall the shard and no crossing is lost. A scope is queued at most once at a time.
// Markets are popped in ascending id order; the queue is FIFO: the order of checks is a function of the
// input records alone.
//
// Funding is the exception to "queued as it happens": one timer tick makes every market shard settle
// its markets' funding, and their records reach this shard in whatever order the threads ran. The
// payments commute; evaluating a scope between two markets' payments would not (what it publishes, a
// margin call, a liquidation started on a state that exists in one order only). So a funded scope is
// held (fundingPaid) and the held scopes join the queue together, in ascending scope key, when the
// funding round closes (releaseFunded: funding-settlement.ts and risk-shard.ts say when).
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import { UpdateReason } from './events.js';
import { scopeKey, scopeOfKey, type ScopeEvaluator } from './scope-evaluator.js';
import { CROSS_SCOPE } from './seams.js';
import type { CursorLookup } from './key-order.js';
import { MarginMode, type AccountState, type PositionState, type RiskState } from './state.js';
import { MarketTriggers } from './trigger-index.js';

export class MarginMonitor {
  readonly triggers = new Map<number, MarketTriggers>();
  private marketIds: readonly number[];
  private queueAccounts: number[] = [];
  private queueScopes: number[] = [];
  private queueReasons: number[] = [];
  private head = 0;
  private readonly queued = new Set<number>();
  /** Scopes a funding record paid since the funding round opened, by scope key (released sorted). */
  private readonly funded = new Set<number>();
  private readonly fire = (pos: PositionState): void => {
    this.enqueue(pos.accountId, pos.marginMode === MarginMode.ISOLATED ? pos.marketId : CROSS_SCOPE, UpdateReason.MARK);
  };
  /** Scopes evaluated by the monitor since start, for monitoring and benchmarks. */
  evaluations = 0;
  evaluator!: ScopeEvaluator;
  /** Called after a cross scope queued by funding was evaluated (ShardParts publishes AccountUpdated). */
  fundedAccount: (accountId: number, timeUs: number) => void = () => {};

  constructor(marketIds: readonly number[]) {
    this.marketIds = [...marketIds].sort((a, b) => a - b);
    for (const id of this.marketIds) this.triggers.set(id, new MarketTriggers(id));
  }

  /** A market listed at run time: its (empty) trigger index, in market order. */
  addMarket(marketId: number): void {
    this.triggers.set(marketId, new MarketTriggers(marketId));
    this.marketIds = [...this.marketIds, marketId].sort((a, b) => a - b);
  }

  /** A new mark for market m. */
  onMark(marketId: number, markTicks: number): void {
    const t = this.triggers.get(marketId)!;
    t.onMark(markTicks);
    if (t.multiMarketCross.size === 0) return;
    for (const accountId of [...t.multiMarketCross].sort((a, b) => a - b)) this.enqueue(accountId, CROSS_SCOPE, UpdateReason.MARK);
  }

  /** Queues a scope for evaluation unless it is already queued. */
  enqueue(accountId: number, scopeMarketId: number, reason: number): void {
    const key = scopeKey(accountId, scopeMarketId);
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queueAccounts.push(accountId);
    this.queueScopes.push(scopeMarketId);
    this.queueReasons.push(reason);
  }

  /** A funding payment touched the scope: held until the funding round closes. */
  fundingPaid(accountId: number, scopeMarketId: number): void {
    this.funded.add(scopeKey(accountId, scopeMarketId));
  }

  /** The funding round closed: the held scopes join the queue in ascending scope key (reason FUNDING). */
  releaseFunded(): void {
    if (this.funded.size === 0) return;
    const keys = [...this.funded].sort((a, b) => a - b);
    this.funded.clear();
    for (const key of keys) {
      const { accountId, scopeMarketId } = scopeOfKey(key);
      this.enqueue(accountId, scopeMarketId, UpdateReason.FUNDING);
    }
  }

  /** Scopes held for the funding round's close (state hashes). */
  get fundedScopes(): ReadonlySet<number> {
    return this.funded;
  }

  /** Scopes queued and not yet evaluated. */
  get queueLength(): number {
    return this.queueAccounts.length - this.head;
  }

  /** True while reached keys may still sit in a heap or scopes wait in the queue. */
  hasPendingWork(): boolean {
    if (this.queueLength > 0 || this.funded.size > 0) return true;
    for (const id of this.marketIds) if (this.triggers.get(id)!.popPending) return true;
    return false;
  }

  /** One record's share of the deferred work: at most `budget` pops and `budget` evaluations. */
  work(budget: number, timeUs: number): void {
    let pops = 0;
    for (let i = 0; i < this.marketIds.length && pops < budget; i++) {
      const t = this.triggers.get(this.marketIds[i]!)!;
      if (t.popPending) pops += t.popReached(budget - pops, this.fire);
    }
    for (let evals = 0; evals < budget && this.head < this.queueAccounts.length; evals++) {
      const h = this.head++;
      const accountId = this.queueAccounts[h]!;
      const scopeMarketId = this.queueScopes[h]!;
      this.queued.delete(scopeKey(accountId, scopeMarketId));
      this.evaluations++;
      const reason = this.queueReasons[h]!;
      const s = this.evaluator.evaluate(accountId, scopeMarketId, reason, timeUs);
      if (s !== undefined && reason === UpdateReason.FUNDING && scopeMarketId === CROSS_SCOPE) this.fundedAccount(accountId, timeUs);
    }
    if (this.head > 1024 && this.head * 2 > this.queueAccounts.length) this.compactQueue();
  }

  /** Queued scopes in order (state hashes). */
  forEachQueued(f: (accountId: number, scopeMarketId: number, reason: number) => void): void {
    for (let i = this.head; i < this.queueAccounts.length; i++) f(this.queueAccounts[i]!, this.queueScopes[i]!, this.queueReasons[i]!);
  }

  /** Snapshot (MONI section): each market's triggers in ascending id order, then the queue from its head. */
  writeState(w: SnapshotWriter): void {
    w.uint(this.evaluations);
    for (const id of this.marketIds) this.triggers.get(id)!.writeState(w);
    w.uint(this.queueLength);
    this.forEachQueued((accountId, scopeMarketId, reason) => {
      w.uint(accountId);
      w.int(scopeMarketId);
      w.u8(reason);
    });
    w.uint(this.funded.size);
    for (const key of [...this.funded].sort((a, b) => a - b)) w.uint(key);
  }

  /**
   * Reads what writeState wrote into this (fresh) monitor; the queued set follows from the queue.
   * `accounts`: the state's accounts, as decoded (the trigger slots name them).
   */
  readState(r: SnapshotReader, state: RiskState, accounts: CursorLookup<AccountState>): void {
    this.evaluations = r.uint();
    for (const id of this.marketIds) this.triggers.get(id)!.readState(r, accounts);
    const n = r.count(3);
    for (let i = 0; i < n; i++) {
      const accountId = r.uint();
      const scopeMarketId = r.int();
      const reason = r.u8();
      const key = scopeKey(accountId, scopeMarketId);
      if (this.queued.has(key) || (scopeMarketId !== CROSS_SCOPE && !state.markets.has(scopeMarketId))) throw malformed(`${r.what}: scope ${accountId}/${scopeMarketId} queued twice or in an unknown market`);
      this.enqueue(accountId, scopeMarketId, reason);
    }
    const held = r.count(1);
    for (let i = 0; i < held; i++) {
      const key = r.uint();
      const { accountId, scopeMarketId } = scopeOfKey(key);
      if (this.funded.has(key) || (scopeMarketId !== CROSS_SCOPE && !state.markets.has(scopeMarketId))) throw malformed(`${r.what}: funded scope ${accountId}/${scopeMarketId} held twice or in an unknown market`);
      this.funded.add(key);
    }
  }

  private compactQueue(): void {
    this.queueAccounts = this.queueAccounts.slice(this.head);
    this.queueScopes = this.queueScopes.slice(this.head);
    this.queueReasons = this.queueReasons.slice(this.head);
    this.head = 0;
  }
}
