// Bench worker: one-way hop latency through a ring under open-loop, fixed-rate injection.
//
//   producer worker ──ring──▶ consumer worker
//   the producer publishes record k at its scheduled time t0 + k·interval (busy-waiting on the clock) and
//   carries that scheduled time in the record; the consumer reads the same process-wide monotonic clock
//   when it sees the record. latency = seen − scheduled, so a late producer counts against the figure
//   (no coordinated omission) and one clock read (~tens of ns) is included.

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { BODY } from '../../engine/ring/record.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import { waitStrategyByName, type WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { readyThenAwaitGo } from './start-worker.js';
import { latencySummary, type LatencySummary } from './latency-summary.js';

export interface LatencyJob {
  role: 'producer' | 'consumer';
  ringSab: SharedArrayBuffer;
  bellSab: SharedArrayBuffer;
  goSab: SharedArrayBuffer;
  strategy: WaitStrategyName;
  count: number;
  intervalNs: number;
  /** Leading samples dropped (JIT warm-up). */
  warmup: number;
}

const job = workerData as LatencyJob;
const ring = RingBuffer.attach(job.ringSab);
const bell = Doorbell.attach(job.bellSab);
const wait = waitStrategyByName(job.strategy);
const records = ring.records;
const post = (m: unknown): void => parentPort!.postMessage(m);

function produce(): LatencySummary {
  const producer = new RingProducer(ring, bell);
  readyThenAwaitGo(post, job.goSab);
  const interval = BigInt(job.intervalNs);
  const t0 = process.hrtime.bigint() + 1_000_000n;
  for (let k = 0; k < job.count; k++) {
    const scheduled = t0 + BigInt(k) * interval;
    while (process.hrtime.bigint() < scheduled);
    if (producer.claim(1) === 0) {
      producer.awaitSpace(1, wait);
      producer.claim(1);
    }
    records.setI64(producer.at(0), BODY, scheduled);
    producer.publish(1);
  }
  return latencySummary(new Float64Array(0));
}

function consume(): LatencySummary {
  const consumer = new RingConsumer(ring);
  const hasWork = (): boolean => consumer.available() > 0;
  const samples = new Float64Array(job.count);
  readyThenAwaitGo(post, job.goSab);
  let k = 0;
  while (k < job.count) {
    const n = consumer.available();
    if (n === 0) {
      wait.idle(bell, hasWork);
      continue;
    }
    const now = process.hrtime.bigint();
    wait.busy();
    for (let i = 0; i < n; i++) samples[k++] = Number(now - records.i64At(consumer.at(i), BODY));
    consumer.release(n);
  }
  return latencySummary(samples.subarray(job.warmup));
}

post({ result: job.role === 'producer' ? produce() : consume() });
