// Worker for ring-producer-await-space.test.ts: fills the ring, waits for space with Park (a timeout far
// beyond the test's, so only the consumer's release, or a stop and wakeProducer(), can wake it), then
// publishes one more record if it got the space.
//
//   this worker ──ring (full)──▶ main; main releases 1 ──wakes──▶ this worker publishes value capacity + 1

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { Park } from '../../../engine/ring/park.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';

export interface SpaceWaiterJob {
  ringSab: SharedArrayBuffer;
  bellSab: SharedArrayBuffer;
  /** When given: an Int32 the main thread sets to 1 to make the wait give up (a shard's run flag, inverted). */
  stopSab?: SharedArrayBuffer;
}

export interface SpaceWaiterResult {
  /** What claim(1) granted on the full ring before waiting. */
  grantedWhenFull: number;
  /** What awaitSpace returned: true once space was free, false when it gave up. */
  gotSpace: boolean;
}

const job = workerData as SpaceWaiterJob;
const ring = RingBuffer.attach(job.ringSab);
const producer = new RingProducer(ring, Doorbell.attach(job.bellSab));

const n = producer.claim(ring.capacity);
for (let i = 0; i < n; i++) ring.records.setI32(producer.at(i), 0, i + 1);
producer.publish(n);
const grantedWhenFull = producer.claim(1);
const stop = job.stopSab === undefined ? undefined : new Int32Array(job.stopSab);
const gotSpace = producer.awaitSpace(1, new Park(60_000), () => stop === undefined || Atomics.load(stop, 0) === 0);
if (gotSpace) {
  producer.claim(1);
  ring.records.setI32(producer.at(0), 0, ring.capacity + 1);
  producer.publish(1);
}
parentPort!.postMessage({ grantedWhenFull, gotSpace } satisfies SpaceWaiterResult);
