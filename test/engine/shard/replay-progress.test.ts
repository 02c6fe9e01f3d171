// replayRecords tells a listener how far a replay has come: at every flush (each 256 records by default)
// and once at the end, so a recovering worker can publish its progress for the main thread to log.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { InputStamp } from '../../../engine/shard/input-stamp.js';
import { replayRecords } from '../../../engine/shard/replay.js';

test('a replay of 600 records reports 256, 512, then 600, after handling that many', () => {
  let handled = 0;
  const heard: [number, number][] = [];
  const handler = { handle: () => void handled++, flush: () => {}, eventCount: 0, duplicates: 0 };
  const records = RecordBuffer.allocate(600);
  const end = replayRecords(handler, new InputStamp(), { records, inputs: new Uint16Array(600), count: 600, firstPosition: 10 }, 256, (done) => heard.push([done, handled]));
  assert.equal(end, 610);
  assert.deepEqual(heard, [[256, 256], [512, 512], [600, 600]]);
});
