// BusySpin: never parks. The lowest hand-off latency (the consumer sees a record as soon as its cache line
// arrives, ~0.3 µs) for a whole core, idle or not. Only for a thread that has a core to itself.

import type { Parker, WaitStrategy } from './wait-strategy.js';

export class BusySpin implements WaitStrategy {
  // Returning at once is the spin: the caller's loop polls its rings again.
  idle(_bell: Parker, _hasWork: () => boolean): void {}

  busy(): void {}
}
