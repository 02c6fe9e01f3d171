// SpinThenPark: the default wait strategy. After the last work it spins for `spins` empty polls (a burst's
// next record usually arrives within that window and is taken at spinning speed), then parks on the
// doorbell until a producer rings or parkTimeoutMs passes. After a timeout it parks again at once, without
// a new spin phase: only work (busy()) restores the spin budget, so an idle thread wakes
// 1000 / parkTimeoutMs times a second and does nothing else.

import type { Parker, WaitStrategy } from './wait-strategy.js';

/**
 * Empty polls before parking. One empty poll of a shard-shaped loop over two input rings measured ~30 ns
 * here (bench/suites/ring.ts machine), so the default spins for roughly 60 µs: about the cost of one
 * wake-up, which bounds the CPU spent per quiet spell by the latency a park would have cost.
 */
export const DEFAULT_SPINS = 2_000;
/** Upper bound of one park: how often an idle thread wakes to look at stop flags and timers anyway. */
export const DEFAULT_PARK_TIMEOUT_MS = 100;

export class SpinThenPark implements WaitStrategy {
  private spinsLeft: number;

  constructor(
    readonly spins = DEFAULT_SPINS,
    readonly parkTimeoutMs = DEFAULT_PARK_TIMEOUT_MS,
  ) {
    if (!Number.isSafeInteger(spins) || spins < 0) throw new RangeError(`spins must be a non-negative integer, got ${spins}`);
    if (!(parkTimeoutMs >= 0)) throw new RangeError(`parkTimeoutMs must be >= 0, got ${parkTimeoutMs}`);
    this.spinsLeft = spins;
  }

  idle(bell: Parker, hasWork: () => boolean): void {
    if (this.spinsLeft > 0) {
      this.spinsLeft--;
      return;
    }
    bell.park(hasWork, this.parkTimeoutMs);
  }

  busy(): void {
    this.spinsLeft = this.spins;
  }
}
