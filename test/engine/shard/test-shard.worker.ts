// Worker for shard-worker.test.ts: speaks the shard control protocol ('ready', then 'stopped'), and then
// misbehaves as the test asks:
//   spin       never looks at its run flag again (a loop that never ends)
//   exit       exits without a word (as a thread killed from outside)
//   processor  runs an EventProcessor over two input rings whose handler throws on the record with
//              account id 7 (a record that kills the shard)

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import type { RecordBuffer } from '../../../engine/ring/record.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { SpinThenPark } from '../../../engine/ring/spin-then-park.js';
import { ControlBlock } from '../../../engine/shard/control-block.js';
import { EventProcessor } from '../../../engine/shard/event-processor.js';

export interface TestShardData {
  control: SharedArrayBuffer;
  bell: SharedArrayBuffer;
  inputs: SharedArrayBuffer[];
  mode: 'spin' | 'exit' | 'processor';
}

const data = workerData as TestShardData;
const control = ControlBlock.attach(data.control);
parentPort!.postMessage({ type: 'ready' });
if (data.mode === 'spin') {
  for (;;);
} else if (data.mode === 'exit') {
  process.exit(3);
} else {
  const handler = {
    eventCount: 0,
    duplicates: 0,
    handle(buf: RecordBuffer, at: number): void {
      if (buf.accountId(at) === 7) throw new Error('boom on account 7');
    },
    flush(): void {},
  };
  const processor = new EventProcessor(data.inputs.map((sab) => RingBuffer.attach(sab)), Doorbell.attach(data.bell), handler, new SpinThenPark(), control);
  processor.run();
  parentPort!.postMessage({ type: 'stopped', stateHash: '0', handled: processor.handled, abandoned: 0 });
}
