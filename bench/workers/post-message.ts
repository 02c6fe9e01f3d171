// Bench worker: the peer of the ring cases, the same transfers over a MessagePort (postMessage).
//
//   producer worker ──MessageChannel port──▶ consumer worker
//   objects  one small object per record {seq, type, accountId, priceTicks, qtyLots} (structured clone)
//   buffers  `batch` 128-byte records per message in a fresh ArrayBuffer, transferred (no copy)
//   latency  one object per record at a fixed rate, carrying its scheduled hrtime (as ring-latency.ts)
// postMessage has no back-pressure: the producer posts as fast as it can and the queue grows.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { RECORD_BYTES } from '../../engine/ring/record.js';
import { latencySummary, type LatencySummary } from './latency-summary.js';
import { readyThenAwaitGo } from './start-worker.js';

export interface PostMessageJob {
  role: 'producer' | 'consumer';
  mode: 'objects' | 'buffers' | 'latency';
  port: MessagePort;
  goSab: SharedArrayBuffer;
  total: number;
  batch: number;
  intervalNs: number;
  warmup: number;
}

export interface PostMessageResult {
  /** hrtime ns: producer's start or consumer's end (objects, buffers). */
  atNs: bigint;
  errors: number;
  latency: LatencySummary;
}

interface RecordObject {
  seq: number;
  type: number;
  accountId: number;
  priceTicks: number;
  qtyLots: number;
}

const job = workerData as PostMessageJob;
const post = (m: unknown): void => parentPort!.postMessage(m);
const noLatency = latencySummary(new Float64Array(0));

function produce(): void {
  readyThenAwaitGo(post, job.goSab);
  const atNs = process.hrtime.bigint();
  if (job.mode === 'objects') {
    for (let seq = 0; seq < job.total; seq++) {
      job.port.postMessage({ seq, type: 1, accountId: seq & 1023, priceTicks: 100_000 + (seq & 255), qtyLots: 1 } satisfies RecordObject);
    }
  } else if (job.mode === 'buffers') {
    for (let seq = 0; seq < job.total; seq += job.batch) {
      const n = Math.min(job.batch, job.total - seq);
      const buf = new ArrayBuffer(n * RECORD_BYTES);
      const i32 = new Int32Array(buf);
      for (let i = 0; i < n; i++) {
        const w = (i * RECORD_BYTES) >> 2;
        i32[w] = seq + i;
        i32[w + 4] = 1;
      }
      job.port.postMessage(buf, [buf]);
    }
  } else {
    const interval = BigInt(job.intervalNs);
    const t0 = process.hrtime.bigint() + 1_000_000n;
    for (let k = 0; k < job.total; k++) {
      const scheduled = t0 + BigInt(k) * interval;
      while (process.hrtime.bigint() < scheduled);
      job.port.postMessage(scheduled);
    }
  }
  job.port.close();
  post({ result: { atNs, errors: 0, latency: noLatency } satisfies PostMessageResult });
}

function consume(): void {
  let seq = 0;
  let errors = 0;
  const samples = new Float64Array(job.mode === 'latency' ? job.total : 0);
  const finish = (): void => {
    const atNs = process.hrtime.bigint();
    job.port.close();
    const latency = job.mode === 'latency' ? latencySummary(samples.subarray(job.warmup)) : noLatency;
    post({ result: { atNs, errors, latency } satisfies PostMessageResult });
  };
  job.port.on('message', (m: RecordObject | ArrayBuffer | bigint) => {
    if (typeof m === 'bigint') {
      samples[seq++] = Number(process.hrtime.bigint() - m);
    } else if (m instanceof ArrayBuffer) {
      const i32 = new Int32Array(m);
      for (let w = 0; w < i32.length; w += RECORD_BYTES >> 2) if (i32[w] !== seq++) errors++;
    } else if (m.seq !== seq++) {
      errors++;
    }
    if (seq >= job.total) finish();
  });
  post({ ready: true });
}

if (job.role === 'producer') produce();
else consume();
