import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Park } from '../../../engine/ring/park.js';
import { RecordingParker, idleTimes } from './recording-parker.js';

test('park parks on every empty poll with its timeout', () => {
  const bell = new RecordingParker();
  idleTimes(new Park(7), bell, 2);
  assert.deepEqual(bell.timeouts, [7, 7]);
});

test('park refuses a negative or missing timeout', () => {
  assert.throws(() => new Park(-1), RangeError);
  assert.throws(() => new Park(Number.NaN), RangeError);
});
