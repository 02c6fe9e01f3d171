// The crash child's read models (crash-child.ts): an AccountViews and a market-data hub kept from the
// exchange's released records as the gateway keeps them, restored from the shards' state after each
// restart; compare() checks them against a fresh copy of that state when the exchange is quiet.

import { decodeRecord } from '../../engine/ring/layouts/index.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import type { GatewaySource } from '../../exchange/in-process-exchange.js';
import type { ShardStates } from '../../exchange/shard-states.js';
import { MarketDataHub } from '../../gateway/market-data/hub.js';
import { AccountViews } from '../../gateway/views/account-views.js';
import { loadViews } from '../../gateway/views/restart-state.js';
import { levelsOf, ordersOf } from '../../engine/book/book-columns.js';

const MARKETS = DEFAULT_MARKETS.map((m) => ({ marketId: m.marketId, symbol: m.symbol }));

/** What must agree: open orders, positions' sizes and costs, wallets. */
function summary(v: AccountViews, accounts: Iterable<number>): Map<number, string> {
  const out = new Map<number, string>();
  for (const a of accounts) {
    const view = v.get(a);
    const orders = [...(view?.open.values() ?? [])].map((o) => `${o.orderId}:${o.market}:${o.price}:${o.remaining}/${o.qty}:${o.status}`).sort();
    const positions = [...(view?.positions.values() ?? [])].filter((p) => p.qty !== 0n).map((p) => `${p.market}:${p.qty}:${p.entryCost}`).sort();
    out.set(a, JSON.stringify({ orders, positions, wallet: view?.balance?.wallet.toString() }));
  }
  return out;
}

export class RestoredViews {
  readonly views = new AccountViews();
  readonly hub = new MarketDataHub(MARKETS, false);
  readonly accounts = new Set<number>();

  onRecord(buf: RecordBuffer, at: number, from: GatewaySource): void {
    const r = decodeRecord(buf, at);
    if (r.accountId > 0) this.accounts.add(r.accountId);
    this.views.apply(r);
    this.hub.onRecord(buf, at, from);
    this.hub.flush();
  }

  restore(states: ShardStates): void {
    loadViews(this.views, states);
    this.hub.restore(states);
    for (const a of accountsOf(states)) this.accounts.add(a);
  }

  /** Differences from a fresh copy (empty when the read models kept since the restart are right). */
  compare(now: ShardStates): string[] {
    const fresh = new AccountViews();
    loadViews(fresh, now);
    const accounts = new Set([...this.accounts, ...accountsOf(now)]);
    const mine = summary(this.views, accounts);
    const theirs = summary(fresh, accounts);
    const out: string[] = [];
    for (const a of accounts) if (mine.get(a) !== theirs.get(a)) out.push(`account ${a}: kept ${mine.get(a)}, copy ${theirs.get(a)}`);
    for (const shard of now.market) {
      for (const b of shard.markets) {
        const snap = this.hub.snapshot(MARKETS.find((m) => m.marketId === b.marketId)!.symbol)!;
        const levels = (l: readonly { priceTicks: number; qtyLots: number; orderCount: number }[]) => l.map((x) => [x.priceTicks, x.qtyLots, x.orderCount]);
        if (JSON.stringify([snap.bids, snap.asks]) !== JSON.stringify([levels(levelsOf(b.bids)), levels(levelsOf(b.asks))])) out.push(`market ${b.marketId}: the hub's book is not the engine's`);
      }
    }
    return out;
  }
}

function accountsOf(states: ShardStates): number[] {
  const out: number[] = [];
  for (const m of states.market) for (const b of m.markets) for (const o of ordersOf(b.orders)) out.push(o.accountId);
  for (const r of states.risk) {
    const b = new RecordBuffer(r.records.buffer as ArrayBuffer, r.records.byteOffset, r.records.byteLength);
    for (let i = 0; i < r.count; i++) out.push(b.accountId(b.at(i)));
  }
  return out;
}
