import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BusySpin } from '../../../engine/ring/busy-spin.js';
import { RecordingParker, idleTimes } from './recording-parker.js';

test('busy-spin never parks', () => {
  const bell = new RecordingParker();
  const wait = new BusySpin();
  idleTimes(wait, bell, 100_000);
  wait.busy();
  idleTimes(wait, bell, 100_000);
  assert.deepEqual(bell.timeouts, []);
});
