// Bench worker: one end of a ring moving `total` records as fast as it can (bench/suites/ring.ts).
//
//   producer worker ──ring (capacity, batch per claim/publish)──▶ consumer worker
//   t0 read by the producer at go, t1 by the consumer after the last release
//
// What moves: by default the producer writes 3 words of each 128-byte record (seq low/high, type, all in
// its first 64-byte line) and the consumer reads and checks the seq word, so the figure is the ring's own
// cost plus one cache line per record. With fullRecord the producer writes all 32 words and the consumer
// reads all 32 (both lines of the record move), closer to a shard copying whole records.

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RECORD_WORDS } from '../../engine/ring/record.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import { waitStrategyByName, type WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { readyThenAwaitGo } from './start-worker.js';

export interface ThroughputJob {
  role: 'producer' | 'consumer';
  ringSab: SharedArrayBuffer;
  bellSab: SharedArrayBuffer;
  goSab: SharedArrayBuffer;
  strategy: WaitStrategyName;
  total: number;
  /** Most records per claim/publish (producer) and per release (consumer). */
  batch: number;
  /** Write and read every word of each record rather than the header words. */
  fullRecord: boolean;
}

export interface ThroughputResult {
  /** hrtime ns: producer's start or consumer's end. */
  atNs: bigint;
  errors: number;
}

const TYPE_WORD = 4;
const job = workerData as ThroughputJob;
const ring = RingBuffer.attach(job.ringSab);
const bell = Doorbell.attach(job.bellSab);
const wait = waitStrategyByName(job.strategy);
const i32 = ring.records.i32;
const post = (m: unknown): void => parentPort!.postMessage(m);

const FULL_WORDS = RECORD_WORDS - TYPE_WORD - 1;
const FULL_K_SUM = ((TYPE_WORD + 1 + RECORD_WORDS - 1) * FULL_WORDS) / 2;
/** What words TYPE_WORD+1..31 of record `seq` (each seq + k) add up to, mod 2^32. */
function fullSum(seq: number): number {
  return (Math.imul(FULL_WORDS, seq) + FULL_K_SUM) | 0;
}

function produce(): ThroughputResult {
  const producer = new RingProducer(ring, bell);
  readyThenAwaitGo(post, job.goSab);
  const atNs = process.hrtime.bigint();
  let seq = 0;
  while (seq < job.total) {
    const left = job.total - seq;
    const n = producer.claim(left < job.batch ? left : job.batch);
    if (n === 0) {
      producer.awaitSpace(1, wait);
      continue;
    }
    for (let i = 0; i < n; i++) {
      const w = producer.at(i) >> 2;
      i32[w] = seq + i;
      i32[w + 1] = 0;
      i32[w + TYPE_WORD] = 1;
      if (job.fullRecord) for (let k = TYPE_WORD + 1; k < RECORD_WORDS; k++) i32[w + k] = seq + i + k;
    }
    producer.publish(n);
    seq += n;
  }
  return { atNs, errors: 0 };
}

function consume(): ThroughputResult {
  const consumer = new RingConsumer(ring);
  const hasWork = (): boolean => consumer.available() > 0;
  readyThenAwaitGo(post, job.goSab);
  let seq = 0;
  let errors = 0;
  while (seq < job.total) {
    const n = consumer.available();
    if (n === 0) {
      wait.idle(bell, hasWork);
      continue;
    }
    wait.busy();
    const take = n < job.batch ? n : job.batch;
    for (let i = 0; i < take; i++) {
      const w = consumer.at(i) >> 2;
      if (i32[w] !== seq + i) errors++;
      if (job.fullRecord) {
        let sum = 0;
        for (let k = TYPE_WORD + 1; k < RECORD_WORDS; k++) sum = (sum + i32[w + k]!) | 0;
        if (sum !== fullSum(seq + i)) errors++;
      }
    }
    consumer.release(take);
    seq += take;
  }
  return { atNs: process.hrtime.bigint(), errors };
}

post({ result: job.role === 'producer' ? produce() : consume() });
