// The dead-man switch's timer under mocked time: it fires once when it runs out, re-arming pushes the
// deadline out, 0 disarms, and each account has its own.

import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { DeadManSwitch } from '../../gateway/orders/dead-man-switch.js';

function setup() {
  mock.timers.enable({ apis: ['setTimeout'] });
  const fired: number[] = [];
  const d = new DeadManSwitch((a) => fired.push(a), () => 0);
  return { d, fired };
}

test('it fires once for its account when it runs out', () => {
  const { d, fired } = setup();
  try {
    d.arm(7, 1_000);
    mock.timers.tick(999);
    assert.deepEqual(fired, []);
    mock.timers.tick(1);
    assert.deepEqual(fired, [7]);
    mock.timers.tick(5_000);
    assert.deepEqual(fired, [7]);
    assert.equal(d.fired, 1);
  } finally {
    mock.timers.reset();
  }
});

test('re-arming before it runs out pushes the deadline; 0 disarms it for good', () => {
  const { d, fired } = setup();
  try {
    d.arm(1, 1_000);
    for (let i = 0; i < 10; i++) {
      mock.timers.tick(900);
      d.arm(1, 1_000);
    }
    assert.deepEqual(fired, []);
    assert.equal(d.arm(1, 0), 0);
    assert.equal(d.armed(1), false);
    mock.timers.tick(10_000);
    assert.deepEqual(fired, []);
  } finally {
    mock.timers.reset();
  }
});

test('accounts have separate switches', () => {
  const { d, fired } = setup();
  try {
    d.arm(1, 1_000);
    d.arm(2, 2_000);
    d.arm(3, 3_000);
    mock.timers.tick(1_500);
    assert.deepEqual(fired, [1]);
    d.arm(3, 0);
    mock.timers.tick(5_000);
    assert.deepEqual(fired, [1, 2], 'account 3 disarmed alone');
  } finally {
    mock.timers.reset();
  }
});
