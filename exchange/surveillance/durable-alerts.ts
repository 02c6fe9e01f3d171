// Surveillance's records on the main thread (the alert book, the operators' owner links, the integrity
// reports), loaded from one AlertStorage; durable ones over a RocksDB store of their own, rebuilt from it
// at start. The store is a directory of its own, not the exchange's data directory: the journal writer's
// thread holds that one's lock (RocksDB admits one writer per directory), and alerts are written by the
// main thread.

import { RocksStore } from '../../persistence/rocksdb-store.js';
import { AlertBook } from './alert-book.js';
import type { AlertStorage } from './alert-storage.js';
import { IntegrityReports } from './integrity-reports.js';
import { OwnerLinks } from './owner-links.js';
import { StoreAlertStorage } from './store-alert-storage.js';

export interface SurveillanceRecords {
  readonly book: AlertBook;
  readonly owners: OwnerLinks;
  readonly integrity: IntegrityReports;
}

export interface DurableAlerts extends SurveillanceRecords {
  /** Closes the store; the records take nothing more after it. */
  close(): Promise<void>;
}

/** The three record books over one storage, each loaded from it. */
export async function loadSurveillanceRecords(storage: AlertStorage): Promise<SurveillanceRecords> {
  const r = { book: new AlertBook(storage), owners: new OwnerLinks(storage), integrity: new IntegrityReports(storage) };
  await r.book.load();
  await r.owners.load();
  await r.integrity.load();
  return r;
}

/** Opens (creating if missing) the alert store at `dir` and loads the records from it. */
export async function openDurableAlerts(dir: string): Promise<DurableAlerts> {
  const store = await RocksStore.open(dir, { createIfMissing: true });
  try {
    const records = await loadSurveillanceRecords(new StoreAlertStorage(store));
    return { ...records, close: () => store.close() };
  } catch (e) {
    await store.close();
    throw e;
  }
}
