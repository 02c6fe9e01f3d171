// Read models after a restart: a restarted gateway loads every shard's state (exchange/shard-states.ts)
// into its read models and market-data books, then applies only the records that came after it
// (docs/ARCHITECTURE.md, "Read models after a restart").
//
//   market shard s: per market its copy's seq    risk shard r: per account its copy's seq (a record's
//                                                 seq field), else the copy's start seq
//   a record from s about market m is news iff its seq > the seq of m's copy
//   a record from r about account a is news iff its seq > the seq of a's copy (startSeq: a had none)
//
// RestartGate answers that per record; once every source has passed the highest seq its copy stands at,
// everything is news and the gate has nothing left to do (`open`). loadViews() puts a copy into the
// gateway's AccountViews: the market shards' open orders (with owners, fills and trigger state), the risk
// shards' AccountUpdated and PositionUpdated records through the same apply() the live ones take.

import { decodeRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import type { GatewaySource } from '../../exchange/in-process-exchange.js';
import type { ShardStates } from '../../exchange/shard-states.js';
import type { AccountViews } from './account-views.js';
import { orderAt } from '../../engine/book/book-columns.js';

interface SourceCut {
  /** Seq a key not in the copy stands at. */
  readonly base: number;
  /** Per key (market id for a market shard, account id for a risk shard): the seq its copy stands at. */
  readonly byKey: Map<number, number>;
  /** The highest seq of the copy: past it, every record of this source is news. */
  readonly last: number;
  passed: boolean;
}

export class RestartGate {
  private readonly market: SourceCut[];
  private readonly risk: SourceCut[];
  private pending: number;

  constructor(states: ShardStates) {
    this.market = states.market.map((m) => {
      const byKey = new Map(m.markets.map((b) => [b.marketId, b.seq]));
      const seqs = m.markets.map((b) => b.seq);
      return { base: seqs.length === 0 ? 0 : Math.min(...seqs), byKey, last: seqs.length === 0 ? 0 : Math.max(...seqs), passed: false };
    });
    this.risk = states.risk.map((r) => {
      const byKey = new Map<number, number>();
      let last = r.startSeq;
      const b = recordsOf(r.records);
      for (let i = 0; i < r.count; i++) {
        const seq = b.seq(b.at(i));
        byKey.set(b.accountId(b.at(i)), seq);
        if (seq > last) last = seq;
      }
      return { base: r.startSeq, byKey, last, passed: false };
    });
    this.pending = this.market.length + this.risk.length;
  }

  /** True once every source has passed its copy: no record needs checking any more. */
  get open(): boolean {
    return this.pending === 0;
  }

  /** Is this record news to a gateway that loaded the states (not already inside a copy)? */
  fresh(buf: RecordBuffer, at: number, from: GatewaySource): boolean {
    const cut = from.kind === 'market' ? this.market[from.shard] : from.kind === 'risk' ? this.risk[from.shard] : undefined;
    if (cut === undefined || cut.passed) return true;
    const seq = buf.seq(at);
    if (seq > cut.last) {
      cut.passed = true;
      this.pending--;
      return true;
    }
    const key = from.kind === 'market' ? buf.marketId(at) : buf.accountId(at);
    return seq > (cut.byKey.get(key) ?? cut.base);
  }
}

/** Every account a risk shard holds state for. */
export function heldAccounts(states: ShardStates): Set<number> {
  const ids = new Set<number>();
  for (const r of states.risk) {
    const b = recordsOf(r.records);
    for (let i = 0; i < r.count; i++) ids.add(b.accountId(b.at(i)));
  }
  return ids;
}

function recordsOf(bytes: Uint8Array): RecordBuffer {
  return new RecordBuffer(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

/** Loads the shards' copies into the read models (no user-stream events: nobody is connected yet). */
export function loadViews(views: AccountViews, states: ShardStates): void {
  for (const m of states.market) {
    for (const book of m.markets) for (let i = 0; i < book.orders.count; i++) views.loadOrder(orderAt(book.orders, i), i >= book.resting, book.marketId);
  }
  for (const r of states.risk) {
    const b = recordsOf(r.records);
    for (let i = 0; i < r.count; i++) views.apply(decodeRecord(b, b.at(i)));
  }
}
