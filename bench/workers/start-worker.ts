// Bench helper: start a worker, know when it is ready, release all workers of a run at once, collect the
// one result each posts. Workers post { ready: true } once set up, block on the shared go flag, then post
// { result }. Clock reads live in the workers (process.hrtime.bigint: one monotonic clock for the whole
// process, so a start read on one thread and an end read on another are comparable).

import { Worker, type Transferable } from 'node:worker_threads';

export interface Started<T> {
  worker: Worker;
  ready: Promise<void>;
  result: Promise<T>;
}

type Message<T> = { ready: true } | { result: T };

export function startWorker<T>(script: URL, workerData: unknown, transferList: Transferable[] = []): Started<T> {
  const worker = new Worker(script, { workerData, transferList });
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const result = new Promise<T>((resolve, reject) => {
    let got: { value: T } | undefined;
    worker.on('message', (m: Message<T>) => {
      if ('ready' in m) onReady();
      else got = { value: m.result };
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (got && code === 0 ? resolve(got.value) : reject(new Error(`${script.pathname} exited ${code} without a result`))));
  });
  return { worker, ready, result };
}

/** The flag workers block on until the run starts. */
export function createGoFlag(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

function releaseGo(goSab: SharedArrayBuffer): void {
  const go = new Int32Array(goSab);
  Atomics.store(go, 0, 1);
  Atomics.notify(go, 0);
}

/** Worker side: announce readiness and block until the main thread releases the run. */
export function readyThenAwaitGo(post: (m: unknown) => void, goSab: SharedArrayBuffer): void {
  post({ ready: true });
  const go = new Int32Array(goSab);
  while (Atomics.load(go, 0) === 0) Atomics.wait(go, 0, 0, 1000);
}

/** Starts every worker, waits until all are ready, releases them together and returns their results. */
export async function runTogether<T>(starts: Started<T>[], goSab: SharedArrayBuffer): Promise<T[]> {
  await Promise.all(starts.map((s) => s.ready));
  releaseGo(goSab);
  return Promise.all(starts.map((s) => s.result));
}
