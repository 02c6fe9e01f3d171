// Worker for outbox-wake.test.ts: plays a risk shard whose outbox feeds a market shard. It appends more
// records than the market-bound ring holds (the rest queue in the outbox), then sleeps on its own doorbell
// with a timeout far beyond the test's whenever records are still queued, so only the market freeing
// slots (and ringing this doorbell) can get them out.

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RecordType } from '../../../engine/ring/types.js';
import { Outbox } from '../../../risk/shard/outbox.js';

export interface OutboxFeederJob {
  ring: SharedArrayBuffer;
  /** This thread's doorbell: what the market shard must ring when it frees slots. */
  bell: SharedArrayBuffer;
  /** The market shard's doorbell (the outbox rings it after publishing). */
  marketBell: SharedArrayBuffer;
  records: number;
  firstTimeUs: number;
}

export interface OutboxFeederResult {
  /** Records that had to wait in the outbox. */
  queued: number;
  /** Times this thread went to sleep with records queued. */
  sleeps: number;
}

const job = workerData as OutboxFeederJob;
const bell = Doorbell.attach(job.bell);
const outbox = new Outbox(RingBuffer.attach(job.ring), Doorbell.attach(job.marketBell));
const src = RecordBuffer.allocate(1);
for (let i = 0; i < job.records; i++) {
  // Timer ticks: the market shard handles them without writing anything back (nothing else rings us).
  src.clear(0);
  src.setType(0, RecordType.AdvanceTime);
  src.setTimeUs(0, job.firstTimeUs + i);
  outbox.append(src, 0);
}
outbox.flush();
let sleeps = 0;
while (!outbox.drain()) {
  sleeps++;
  bell.park(() => outbox.drain(), 600_000);
}
parentPort!.postMessage({ queued: outbox.queuedTotal, sleeps } satisfies OutboxFeederResult);
