// Park: parks on the first empty poll. The least CPU; every record after a gap pays a wake-up (tens of
// microseconds), and a stream of single records pays it on nearly every one.

import { DEFAULT_PARK_TIMEOUT_MS } from './spin-then-park.js';
import type { Parker, WaitStrategy } from './wait-strategy.js';

export class Park implements WaitStrategy {
  constructor(readonly parkTimeoutMs = DEFAULT_PARK_TIMEOUT_MS) {
    if (!(parkTimeoutMs >= 0)) throw new RangeError(`parkTimeoutMs must be >= 0, got ${parkTimeoutMs}`);
  }

  idle(bell: Parker, hasWork: () => boolean): void {
    bell.park(hasWork, this.parkTimeoutMs);
  }

  busy(): void {}
}
