// BookSync: a client's local copy of one market's L2 book, kept from a snapshot and a stream of diffs
// with the procedure venues document for it (Binance USDⓈ-M's "manage a local order book correctly"):
//
//   1. subscribe to the diffs and buffer them;           2. fetch a snapshot (its last id S);
//   3. drop buffered diffs whose last id is below S;     4. the first diff applied must bridge the
//      snapshot: prev ≤ S ≤ last (Binance: U ≤ S ≤ u, which implies pu < S);
//   5. every later diff must continue the last one: prev = the last applied diff's last id;
//   6. apply levels as absolute values (quantity 0 removes the level); with a checksum, compare it with
//      the book's after every diff.
//
// A diff that breaks 4 or 5, or a checksum that disagrees, is a gap: the book is dropped, diffs are
// buffered again and a new snapshot is asked for (`onResync`). A reconnect is the same: `reset()`.
// Ids are (prev, last]: perpx diffs have prev = prevSeq and last = seq, Binance's prev = pu and last = u.

import { Side } from '../../engine/enums.js';
import { bookChecksum } from '../market-data/checksum.js';
import { L2Book, type LevelTuple } from '../market-data/l2-book.js';

export interface SyncDiff {
  /** The last id of the diff before this one (perpx prevSeq, Binance pu). */
  readonly prev: number;
  /** This diff's last id (perpx seq, Binance u). */
  readonly last: number;
  readonly bids: readonly LevelTuple[];
  readonly asks: readonly LevelTuple[];
  /** The book's checksum after this diff (checksum.ts), when the venue sends one. */
  readonly checksum?: number;
}

export interface SyncSnapshot {
  /** The id of the last change the snapshot includes (perpx seq, Binance lastUpdateId). */
  readonly id: number;
  readonly bids: readonly LevelTuple[];
  readonly asks: readonly LevelTuple[];
  readonly checksum?: number;
}

export type ResyncReason = 'gap' | 'checksum' | 'stale-snapshot' | 'reset';

export interface BookSyncStats {
  applied: number;
  dropped: number;
  resyncs: number;
  gaps: number;
  checksumMismatches: number;
}

export class BookSync {
  readonly book = new L2Book();
  readonly stats: BookSyncStats = { applied: 0, dropped: 0, resyncs: 0, gaps: 0, checksumMismatches: 0 };
  /** The last diff's id applied since the snapshot; undefined before the first. */
  lastId: number | undefined;
  /** The last id of the first diff applied after each snapshot (what step 4 chose), newest last. */
  readonly bridges: number[] = [];
  private buffer: SyncDiff[] = [];
  private snapshotId: number | undefined;

  /** onResync: ask for a new snapshot (the diffs keep coming and are buffered meanwhile). */
  constructor(private readonly onResync: (reason: ResyncReason) => void = () => {}) {}

  /** The book is a consistent state of the venue's: a snapshot is loaded and every diff since applied. */
  get synced(): boolean {
    return this.lastId !== undefined || this.snapshotId !== undefined;
  }

  /** The id the book stands at (the last diff applied, or the snapshot's), undefined while not in sync. */
  get position(): number | undefined {
    return this.lastId ?? this.snapshotId;
  }

  onDiff(d: SyncDiff): void {
    if (this.lastId === undefined) {
      if (this.snapshotId === undefined) this.buffer.push(d);
      else this.bridge(d);
      return;
    }
    if (d.last <= this.lastId) {
      this.stats.dropped++;
      return;
    }
    if (d.prev !== this.lastId) {
      this.stats.gaps++;
      return this.resync('gap', d);
    }
    this.apply(d);
  }

  onSnapshot(s: SyncSnapshot): void {
    this.book.load(s.bids, s.asks);
    if (s.checksum !== undefined && bookChecksum(this.book) !== s.checksum) {
      this.stats.checksumMismatches++;
      return this.resync('checksum');
    }
    this.snapshotId = s.id;
    this.lastId = undefined;
    const buffered = this.buffer;
    this.buffer = [];
    for (const d of buffered) {
      if (this.lastId === undefined && this.snapshotId === undefined) this.buffer.push(d);
      else this.onDiff(d);
    }
  }

  /** A dropped connection: nothing here can be trusted until a new snapshot. */
  reset(): void {
    this.resync('reset');
  }

  /** Step 3 and 4: the first diff after the snapshot. */
  private bridge(d: SyncDiff): void {
    const s = this.snapshotId!;
    if (d.last < s) {
      this.stats.dropped++;
      return;
    }
    if (d.prev > s) {
      // The diffs start after the snapshot: changes in between are missing. A newer snapshot is needed.
      this.stats.gaps++;
      return this.resync('stale-snapshot', d);
    }
    this.snapshotId = undefined;
    this.bridges.push(d.last);
    this.apply(d);
  }

  private apply(d: SyncDiff): void {
    for (const [p, q, c] of d.bids) this.book.set(Side.BUY, p, q, c);
    for (const [p, q, c] of d.asks) this.book.set(Side.SELL, p, q, c);
    this.lastId = d.last;
    this.stats.applied++;
    if (d.checksum !== undefined && bookChecksum(this.book) !== d.checksum) {
      this.stats.checksumMismatches++;
      this.resync('checksum');
    }
  }

  private resync(reason: ResyncReason, keep?: SyncDiff): void {
    this.stats.resyncs++;
    this.lastId = undefined;
    this.snapshotId = undefined;
    this.book.clear();
    this.buffer = keep ? [keep] : [];
    this.onResync(reason);
  }
}

/** A perpx book diff as the procedure reads it. */
export function perpxDiff(d: { seq: number; prevSeq: number; bids: readonly LevelTuple[]; asks: readonly LevelTuple[]; checksum: number }): SyncDiff {
  return { prev: d.prevSeq, last: d.seq, bids: d.bids, asks: d.asks, checksum: d.checksum };
}

/** A perpx book snapshot as the procedure reads it. */
export function perpxSnapshot(s: { seq: number; bids: readonly LevelTuple[]; asks: readonly LevelTuple[]; checksum: number }): SyncSnapshot {
  return { id: s.seq, bids: s.bids, asks: s.asks, checksum: s.checksum };
}
