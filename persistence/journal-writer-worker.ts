// Journal-writer worker entry: owns the writable store handle and runs JournalWriter cycles until told to
// stop, then drains the tap rings one last time, closes the store and says so. Nothing else.
//
//   tap ring × shards ──▶ JournalWriter.cycle() ──▶ RocksDB (synced batch) ──▶ Watermark ──▶ gateway bell
//          ▲ shards ring this worker's doorbell on publish; it parks on it (Atomics.waitAsync) when idle
//
// Unlike shard workers, this thread turns its event loop (the store's callbacks need it), so it waits with
// parkAsync. Replies on the port: 'ready' once the store is open, {stopped, written, batches, sync} at the end,
// {failed, message, code} if the store fails (the exchange then stops: nothing can be acknowledged).

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { Doorbell } from '../engine/ring/doorbell.js';
import { ControlBlock } from '../engine/shard/control-block.js';
import { TapReader, TapRing } from '../engine/shard/input-tap.js';
import { brokenJournalLagMs, crashPointHook } from './crash-points.js';
import { CutTracker, type CutState } from './cut.js';
import { JOURNAL_WRITE_BUFFER_BYTES, JournalWriter } from './journal-writer.js';
import { RocksStore } from './rocksdb-store.js';
import { SnapshotService } from './snapshot-service.js';
import type { RetentionPolicy } from './snapshot-store.js';
import { Watermark } from './watermark.js';

export interface JournalWriterWorkerData {
  dir: string;
  taps: { ring: SharedArrayBuffer; inputs: SharedArrayBuffer }[];
  producerOf: number[][];
  from: CutState;
  firstBatch: number;
  bell: SharedArrayBuffer;
  gatewayBell: SharedArrayBuffer;
  watermark: SharedArrayBuffer;
  control: SharedArrayBuffer;
  /** The snapshotter's channel and the retention rule, when snapshots are taken (snapshot-service.ts). */
  snapshots?: { port: MessagePort; retention: RetentionPolicy };
}

const data = workerData as JournalWriterWorkerData;
const control = ControlBlock.attach(data.control);
const bell = Doorbell.attach(data.bell);
const gatewayBell = Doorbell.attach(data.gatewayBell);
const taps = data.taps.map((t) => new TapReader(TapRing.attach(t.ring, t.inputs)));
const hasWork = () => !control.running() || taps.some((t) => t.consumer.available() > 0);

// A pending Atomics.waitAsync does not keep a worker's event loop alive: this timer does, until the end.
const keepAlive = setInterval(() => {}, 1 << 30);
try {
  const store = await RocksStore.open(data.dir, { createIfMissing: false, writeBufferBytes: JOURNAL_WRITE_BUFFER_BYTES });
  const crashPoint = crashPointHook();
  const writer = new JournalWriter(store, taps, new CutTracker(data.producerOf, data.from), Watermark.attach(data.watermark), { onDurable: () => gatewayBell.ring(), crashPoint }, data.firstBatch);
  const service = data.snapshots && new SnapshotService(store, writer, data.snapshots.retention, crashPoint);
  if (service) service.serve(data.snapshots!.port);
  parentPort!.postMessage({ type: 'ready' });
  const lagMs = brokenJournalLagMs();
  while (control.running()) {
    if (lagMs > 0) await new Promise((r) => setTimeout(r, lagMs));
    if ((await writer.cycle()) === 0) await bell.parkAsync(hasWork, 100);
  }
  while ((await writer.cycle()) > 0);
  data.snapshots?.port.close();
  await service?.idle();
  await store.close();
  parentPort!.postMessage({ type: 'stopped', written: writer.written, batches: writer.batches, outstanding: writer.cut.outstanding(), sync: writer.syncSummary() });
} catch (e) {
  const err = e as Error & { code?: number };
  parentPort!.postMessage({ type: 'failed', message: err.message, code: err.code ?? 0 });
} finally {
  clearInterval(keepAlive);
}
