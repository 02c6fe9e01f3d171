// Bench worker for bench/suites/idle.ts: a consumer loop shaped like a shard's, with nothing to do.
//
//   main ──input rings (INPUTS of them)──▶ this worker; one doorbell for all of them
//   loop: poll every input ring; work → wait.busy(); none → wait.idle(bell, hasWork)
// It stops when the control flag says so (the main thread sets it and rings the bell), after taking
// whatever is in its rings, and reports how many records it took and how often it parked.

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../engine/ring/ring-consumer.js';
import { waitStrategyByName, type WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import type { Parker } from '../../engine/ring/wait-strategy.js';

export interface IdleJob {
  ringSabs: SharedArrayBuffer[];
  bellSab: SharedArrayBuffer;
  /** Int32 [stop]: set to 1 by the main thread to end the loop. */
  controlSab: SharedArrayBuffer;
  strategy: WaitStrategyName;
}

export interface IdleResult {
  records: number;
  parks: number;
}

const job = workerData as IdleJob;
const inputs = job.ringSabs.map((sab) => new RingConsumer(RingBuffer.attach(sab)));
const bell = Doorbell.attach(job.bellSab);
const control = new Int32Array(job.controlSab);
const wait = waitStrategyByName(job.strategy);
let parks = 0;
const countingBell: Parker = {
  park(hasWork, timeoutMs) {
    parks++;
    bell.park(hasWork, timeoutMs);
  },
};

function anyInput(): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!.available() > 0) return true;
  return false;
}
const hasWork = (): boolean => Atomics.load(control, 0) !== 0 || anyInput();

let records = 0;
for (;;) {
  let n = 0;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const k = input.available();
    if (k > 0) {
      input.release(k);
      n += k;
    }
  }
  records += n;
  if (n > 0) wait.busy();
  else if (Atomics.load(control, 0) !== 0) break;
  else wait.idle(countingBell, hasWork);
}
parentPort!.postMessage({ result: { records, parks } satisfies IdleResult });
