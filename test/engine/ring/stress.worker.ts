// Worker for ring-stress.test.ts: one end of a ring, producer or consumer, chosen by workerData.
//
//   main ──workerData(ring sab, doorbell sab)──▶ producer worker ──ring──▶ consumer worker
//                                    ◀──────────── one result message each ──────────────┘
//
// Batched runs draw claim sizes, split publishes and partial releases from the seed, so wrap-around,
// partial batches and back-pressure meet in every combination; unbatched runs move one record per publish.

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';
import { waitStrategyByName, type WaitStrategyName } from '../../../engine/ring/wait-strategy-by-name.js';
import { rng } from '../../support/seed.js';
import { firstBadWord, writePayload } from './stress-payload.js';

export interface StressJob {
  role: 'producer' | 'consumer';
  ringSab: SharedArrayBuffer;
  bellSab: SharedArrayBuffer;
  /** On a ring of two consumers: the second consumer's doorbell, and which consumer this worker is. */
  secondBellSab?: SharedArrayBuffer;
  consumer?: number;
  strategy: WaitStrategyName;
  total: number;
  /** 1: one record per claim/publish/release. Otherwise sizes are drawn in [1, maxBatch]. */
  maxBatch: number;
  seed: number;
}

export interface ProducerResult {
  sent: number;
  /** Claims that found the ring full. */
  fullClaims: number;
  publishes: number;
}

export interface ConsumerResult {
  received: number;
  errors: number;
  firstError: string;
  /** Records still available after the last expected one: must be 0 (nothing extra, nothing duplicated). */
  leftover: number;
}

const job = workerData as StressJob;
const ring = RingBuffer.attach(job.ringSab, job.role === 'consumer' ? (job.consumer ?? 0) : 0);
const bells = [Doorbell.attach(job.bellSab), ...(job.secondBellSab ? [Doorbell.attach(job.secondBellSab)] : [])];
const bell = bells[job.role === 'consumer' ? (job.consumer ?? 0) : 0]!;
const wait = waitStrategyByName(job.strategy);
const i32 = ring.records.i32;

function produce(): ProducerResult {
  const producer = new RingProducer(ring, bells);
  const next = rng(job.seed);
  let seq = 0;
  let fullClaims = 0;
  let publishes = 0;
  while (seq < job.total) {
    const want = job.maxBatch === 1 ? 1 : 1 + (next() % job.maxBatch);
    const n = producer.claim(Math.min(want, job.total - seq));
    if (n === 0) {
      fullClaims++;
      producer.awaitSpace(1, wait);
      continue;
    }
    for (let i = 0; i < n; i++) writePayload(i32, producer.at(i), seq + i);
    // Two publishes per batched claim: the rest of a claim stays claimed after a partial publish.
    const first = job.maxBatch === 1 ? n : 1 + (next() % n);
    producer.publish(first);
    publishes++;
    if (first < n) {
      producer.publish(n - first);
      publishes++;
    }
    seq += n;
  }
  return { sent: seq, fullClaims, publishes };
}

function consume(): ConsumerResult {
  const consumer = new RingConsumer(ring);
  const next = rng(job.seed ^ 0x5bd1e995 ^ (job.consumer ?? 0));
  const hasWork = (): boolean => consumer.available() > 0;
  let expected = 0;
  let errors = 0;
  let firstError = '';
  while (expected < job.total) {
    const n = consumer.available();
    if (n === 0) {
      wait.idle(bell, hasWork);
      continue;
    }
    wait.busy();
    const take = job.maxBatch === 1 ? 1 : 1 + (next() % n);
    for (let i = 0; i < take; i++) {
      const bad = firstBadWord(i32, consumer.at(i), expected);
      if (bad >= 0) {
        if (errors === 0) firstError = `record ${expected}: word ${bad} is ${i32[(consumer.at(i) >> 2) + bad]}, seq word ${i32[consumer.at(i) >> 2]}`;
        errors++;
      }
      expected++;
    }
    consumer.release(take);
  }
  return { received: expected, errors, firstError, leftover: consumer.available() };
}

parentPort!.postMessage(job.role === 'producer' ? produce() : consume());
