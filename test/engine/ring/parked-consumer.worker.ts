// Worker for idle-consumer-parks.test.ts: a consumer loop that waits for one record with the default
// strategy (or spin-then-park with the given park timeout), then reports the record and how often it parked.
//
//   main ──ring──▶ this worker ──message { value, parks }──▶ main

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { DEFAULT_SPINS, SpinThenPark } from '../../../engine/ring/spin-then-park.js';
import { defaultWaitStrategy, type Parker } from '../../../engine/ring/wait-strategy.js';

export interface ParkedConsumerJob {
  ringSab: SharedArrayBuffer;
  bellSab: SharedArrayBuffer;
  /** Absent: defaultWaitStrategy(). */
  parkTimeoutMs?: number;
}

export interface ParkedConsumerResult {
  value: number;
  parks: number;
}

const job = workerData as ParkedConsumerJob;
const ring = RingBuffer.attach(job.ringSab);
const bell = Doorbell.attach(job.bellSab);
const consumer = new RingConsumer(ring);
const wait = job.parkTimeoutMs === undefined ? defaultWaitStrategy() : new SpinThenPark(DEFAULT_SPINS, job.parkTimeoutMs);
let parks = 0;
const countingBell: Parker = {
  park(hasWork, timeoutMs) {
    parks++;
    bell.park(hasWork, timeoutMs);
  },
};
const hasWork = (): boolean => consumer.available() > 0;

while (consumer.available() === 0) wait.idle(countingBell, hasWork);
const value = ring.records.i32At(consumer.at(0), 0);
consumer.release(1);
parentPort!.postMessage({ value, parks } satisfies ParkedConsumerResult);
