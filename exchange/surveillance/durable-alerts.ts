// Durable alerts: an AlertBook over a RocksDB store of its own, rebuilt from it at start. The store is a
// directory of its own, not the exchange's data directory: the journal writer's thread holds that one's
// lock (RocksDB admits one writer per directory), and alerts are written by the main thread.

import { RocksStore } from '../../persistence/rocksdb-store.js';
import { AlertBook } from './alert-book.js';
import { StoreAlertStorage } from './store-alert-storage.js';

export interface DurableAlerts {
  readonly book: AlertBook;
  /** Closes the store; the book takes nothing more after it. */
  close(): Promise<void>;
}

/** Opens (creating if missing) the alert store at `dir` and loads the book from it. */
export async function openDurableAlerts(dir: string): Promise<DurableAlerts> {
  const store = await RocksStore.open(dir, { createIfMissing: true });
  try {
    const book = new AlertBook(new StoreAlertStorage(store));
    await book.load();
    return { book, close: () => store.close() };
  } catch (e) {
    await store.close();
    throw e;
  }
}
