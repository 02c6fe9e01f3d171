import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COUNTER_INDEX, DOORBELL_BYTES, Doorbell, PARKED_INDEX } from '../../../engine/ring/doorbell.js';

// A wait that nobody ends would outlast this: a test that should not sleep fails by timing out.
const LONG_MS = 60_000;
const counter = (bell: Doorbell): number => Atomics.load(new Int32Array(bell.sab), COUNTER_INDEX);

test('the parked flag and the wake counter sit on separate 128-byte lines', () => {
  assert.equal(DOORBELL_BYTES, 256);
  assert.equal(PARKED_INDEX * 4, 0);
  assert.equal(COUNTER_INDEX * 4, 128);
  assert.equal(Doorbell.create().sab.byteLength, DOORBELL_BYTES);
});

test('attaching a buffer of the wrong size is refused', () => {
  assert.throws(() => Doorbell.attach(new SharedArrayBuffer(128)), RangeError);
});

test('ringing a consumer that is not parked leaves the counter alone', () => {
  const bell = Doorbell.create();
  bell.ring();
  assert.equal(counter(bell), 0);
});

test('ringing a parked consumer advances the counter', () => {
  const bell = Doorbell.create();
  Atomics.store(new Int32Array(bell.sab), PARKED_INDEX, 1);
  bell.ring();
  bell.ring();
  assert.equal(counter(bell), 2);
});

test('park announces itself before re-checking for work, and clears the flag on return', { timeout: 10_000 }, () => {
  const bell = Doorbell.create();
  const flagDuringCheck: boolean[] = [];
  bell.park(() => {
    flagDuringCheck.push(bell.isParked());
    return true;
  }, LONG_MS);
  assert.deepEqual(flagDuringCheck, [true]);
  assert.equal(bell.isParked(), false);
});

test('park returns once its timeout passes when nobody rings', { timeout: 10_000 }, () => {
  const bell = Doorbell.create();
  let checks = 0;
  bell.park(() => (checks++, false), 1);
  assert.equal(checks, 1);
  assert.equal(bell.isParked(), false);
});

test('a doorbell attached from the buffer is the same doorbell', () => {
  const bell = Doorbell.create();
  const other = Doorbell.attach(bell.sab);
  Atomics.store(new Int32Array(bell.sab), PARKED_INDEX, 1);
  assert.equal(other.isParked(), true);
  other.ring();
  assert.equal(counter(bell), 1);
});

test('parkAsync returns without waiting when the re-check finds work', { timeout: 10_000 }, async () => {
  const bell = Doorbell.create();
  await bell.parkAsync(() => true, LONG_MS);
  assert.equal(bell.isParked(), false);
});

test('parkAsync is woken by a ring and leaves the event loop running meanwhile', { timeout: 10_000 }, async () => {
  const bell = Doorbell.create();
  let woken = false;
  const parked = bell.parkAsync(() => false, LONG_MS).then(() => (woken = true));
  assert.equal(bell.isParked(), true);
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(woken, false);
  bell.ring();
  await parked;
  assert.equal(woken, true);
  assert.equal(bell.isParked(), false);
});
