// WsBookFollower: one market's book kept by a WebSocket client (PerpxClient) from the gateway's `book`
// channel with BookSync. On a gap or a checksum mismatch it subscribes again, which makes the gateway
// send a fresh snapshot (docs/MARKET-DATA.md); diffs arriving meanwhile are buffered and bridged.

import type { LevelTuple } from '../market-data/l2-book.js';
import { BookSync, perpxDiff, perpxSnapshot, type ResyncReason } from './book-sync.js';
import type { PerpxClient } from './client.js';

type BookFrame = { seq: number; prevSeq: number; bids: LevelTuple[]; asks: LevelTuple[]; checksum: number };

export class WsBookFollower {
  readonly sync: BookSync;
  /** Re-subscriptions made to resync. */
  resubscribes = 0;
  private readonly listener: (m: Record<string, unknown>) => void;

  constructor(
    readonly client: PerpxClient,
    readonly marketId: number,
  ) {
    this.sync = new BookSync((reason) => void this.resync(reason));
    this.listener = (m) => {
      if (m['channel'] !== 'book' || m['market'] !== marketId) return;
      const f = m as unknown as BookFrame;
      if (m['type'] === 'snapshot') this.sync.onSnapshot(perpxSnapshot(f));
      else this.sync.onDiff(perpxDiff(f));
    };
    client.on('md', this.listener);
  }

  async start(): Promise<void> {
    await this.client.subscribe('book', this.marketId);
  }

  async stop(): Promise<void> {
    this.client.off('md', this.listener);
    if (!this.client.closed) await this.client.unsubscribe('book', this.marketId);
  }

  private async resync(_reason: ResyncReason): Promise<void> {
    if (this.client.closed) return;
    this.resubscribes++;
    await this.client.unsubscribe('book', this.marketId);
    await this.client.subscribe('book', this.marketId);
  }
}
