// Crash tests, part 3 of 4 (ci-cycles.ts): npm start's exchange driven through its gateway, killed with
// SIGKILL five times at random instants and at named points, then stopped cleanly.

import { test } from 'node:test';
import { ciCrashCycles } from './ci-cycles.js';

test('five kill -9 cycles through the gateway lose nothing acknowledged and apply nothing twice (part 3)', () => ciCrashCycles(3));
