// Bench helper for bench/suites/ring.ts: one measured run of each transfer, each on two fresh worker
// threads (producer, consumer) released together. Figures come from the workers' own clock reads.

import { MessageChannel } from 'node:worker_threads';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import type { LatencySummary } from './latency-summary.js';
import type { LatencyJob } from './ring-latency.js';
import type { PostMessageJob, PostMessageResult } from './post-message.js';
import type { ThroughputJob, ThroughputResult } from './ring-throughput.js';
import { createGoFlag, runTogether, startWorker } from './start-worker.js';

const throughputScript = new URL('./ring-throughput.js', import.meta.url);
const latencyScript = new URL('./ring-latency.js', import.meta.url);
const postMessageScript = new URL('./post-message.js', import.meta.url);

function perSecond(records: number, startNs: bigint, endNs: bigint): number {
  return Math.round((records * 1e9) / Number(endNs - startNs));
}

/** Records per second through a ring of `capacity` slots, at most `batch` per claim/publish/release. */
export async function ringThroughput(strategy: WaitStrategyName, capacity: number, batch: number, total: number, fullRecord = false): Promise<number> {
  const ring = RingBuffer.create(capacity);
  const goSab = createGoFlag();
  const job = { ringSab: ring.sab, bellSab: Doorbell.create().sab, goSab, strategy, total, batch, fullRecord };
  const [produced, consumed] = await runTogether<ThroughputResult>(
    [startWorker(throughputScript, { ...job, role: 'producer' } satisfies ThroughputJob), startWorker(throughputScript, { ...job, role: 'consumer' } satisfies ThroughputJob)],
    goSab,
  );
  if (consumed!.errors !== 0) throw new Error(`ring throughput: ${consumed!.errors} records out of sequence`);
  return perSecond(total, produced!.atNs, consumed!.atNs);
}

function postMessageJobs(mode: PostMessageJob['mode'], total: number, batch: number, intervalNs: number, warmup: number) {
  const { port1, port2 } = new MessageChannel();
  const goSab = createGoFlag();
  const base = { mode, goSab, total, batch, intervalNs, warmup };
  return runTogether<PostMessageResult>(
    [
      startWorker(postMessageScript, { ...base, role: 'consumer', port: port2 } satisfies PostMessageJob, [port2]),
      startWorker(postMessageScript, { ...base, role: 'producer', port: port1 } satisfies PostMessageJob, [port1]),
    ],
    goSab,
  );
}

/** Records per second over postMessage: one cloned object each, or `batch` per transferred buffer. */
export async function postMessageThroughput(mode: 'objects' | 'buffers', batch: number, total: number): Promise<number> {
  const [consumed, produced] = await postMessageJobs(mode, total, batch, 0, 0);
  if (consumed!.errors !== 0) throw new Error(`postMessage throughput: ${consumed!.errors} records out of sequence`);
  return perSecond(total, produced!.atNs, consumed!.atNs);
}

/** One-way latency of records injected every intervalNs through a ring (capacity 1024). */
export async function ringLatency(strategy: WaitStrategyName, count: number, intervalNs: number, warmup: number): Promise<LatencySummary> {
  const ring = RingBuffer.create(1024);
  const goSab = createGoFlag();
  const job = { ringSab: ring.sab, bellSab: Doorbell.create().sab, goSab, strategy, count, intervalNs, warmup };
  const [, consumed] = await runTogether<LatencySummary>(
    [startWorker(latencyScript, { ...job, role: 'producer' } satisfies LatencyJob), startWorker(latencyScript, { ...job, role: 'consumer' } satisfies LatencyJob)],
    goSab,
  );
  return consumed!;
}

/** The same injection over postMessage. */
export async function postMessageLatency(count: number, intervalNs: number, warmup: number): Promise<LatencySummary> {
  const [consumed] = await postMessageJobs('latency', count, 1, intervalNs, warmup);
  return consumed!.latency;
}
