// IntegrityReports: the venue integrity statistics (risk/surveillance/integrity/) the surveillance workers
// report per market per UTC day, kept on the main thread for operators and stored through AlertStorage:
// the day so far (replaced as the day goes on) and then the complete day. After a restart the workers
// report the replayed days again, which replaces the stored ones with the same figures.
//
// Thread contract: the main thread only.

import type { IntegrityReport } from '../../risk/surveillance/integrity/integrity-stats.js';
import type { AlertStorage } from './alert-storage.js';

export interface IntegrityFilter {
  marketId?: number;
  /** Days since the epoch (UTC), inclusive. */
  fromDay?: number;
  toDay?: number;
}

export class IntegrityReports {
  private readonly byKey = new Map<string, IntegrityReport>();
  /** Puts run one after another, so a store never ends with an older report than the book holds. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: AlertStorage) {}

  async load(): Promise<void> {
    for (const r of await this.storage.loadIntegrity()) this.byKey.set(key(r), r);
  }

  /**
   * Stores a report unless a newer one of its market and day is held (a day-so-far report never replaces
   * the complete day, nor a later one of the same day).
   */
  put(r: IntegrityReport): Promise<boolean> {
    const p = this.tail.then(() => this.write(r));
    this.tail = p.catch(() => {});
    return p;
  }

  private async write(r: IntegrityReport): Promise<boolean> {
    const held = this.byKey.get(key(r));
    if (held !== undefined && (held.complete || held.untilUs > r.untilUs)) return false;
    await this.storage.putIntegrity(r);
    this.byKey.set(key(r), r);
    return true;
  }

  /** Reports by market, then day. */
  list(f: IntegrityFilter = {}): IntegrityReport[] {
    return [...this.byKey.values()]
      .filter((r) => (f.marketId === undefined || r.marketId === f.marketId) && (f.fromDay === undefined || r.day >= f.fromDay) && (f.toDay === undefined || r.day <= f.toDay))
      .sort((a, b) => a.marketId - b.marketId || a.day - b.day);
  }
}

const key = (r: IntegrityReport) => `${r.marketId}/${r.day}`;
