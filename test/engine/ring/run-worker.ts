// Runs a test worker script to completion and resolves with the one message it posts. A worker that
// throws, exits without posting, or exits non-zero rejects, so a crashed thread fails the test. The worker
// is terminated when the test ends, so a test that fails or times out never leaves a thread asleep that
// would keep the test process alive.

import type { TestContext } from 'node:test';
import { Worker } from 'node:worker_threads';

export function runWorker<T>(t: TestContext, script: URL, workerData: unknown): Promise<T> {
  const worker = new Worker(script, { workerData });
  t.after(() => worker.terminate());
  return new Promise<T>((resolve, reject) => {
    let posted: { value: T } | undefined;
    worker.once('message', (value: T) => (posted = { value }));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (posted && code === 0) resolve(posted.value);
      else reject(new Error(`worker ${script.pathname} exited with code ${code}${posted ? '' : ' without a result'}`));
    });
  });
}
