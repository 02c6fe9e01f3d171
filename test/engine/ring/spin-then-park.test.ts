import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpinThenPark } from '../../../engine/ring/spin-then-park.js';
import { RecordingParker, idleTimes } from './recording-parker.js';

test('spin-then-park spins its budget of empty polls and then parks', () => {
  const bell = new RecordingParker();
  const wait = new SpinThenPark(5, 3);
  idleTimes(wait, bell, 5);
  assert.deepEqual(bell.timeouts, []);
  idleTimes(wait, bell, 1);
  assert.deepEqual(bell.timeouts, [3]);
});

test('spin-then-park parks again at once after a park that brought no work', () => {
  const bell = new RecordingParker();
  const wait = new SpinThenPark(5, 3);
  idleTimes(wait, bell, 8);
  assert.deepEqual(bell.timeouts, [3, 3, 3]);
});

test('work restores the spin budget of spin-then-park', () => {
  const bell = new RecordingParker();
  const wait = new SpinThenPark(5, 3);
  idleTimes(wait, bell, 6);
  wait.busy();
  idleTimes(wait, bell, 5);
  assert.deepEqual(bell.timeouts, [3]);
});

test('spin-then-park with no spin budget parks on the first empty poll', () => {
  const bell = new RecordingParker();
  idleTimes(new SpinThenPark(0, 2), bell, 1);
  assert.deepEqual(bell.timeouts, [2]);
});

test('spin-then-park refuses a negative spin budget or timeout', () => {
  assert.throws(() => new SpinThenPark(-1, 10), RangeError);
  assert.throws(() => new SpinThenPark(1.5, 10), RangeError);
  assert.throws(() => new SpinThenPark(10, -1), RangeError);
});
