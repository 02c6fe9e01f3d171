// WaitStrategy: what a thread does when its poll found nothing (the disruptor's name for it).
//
// A consumer loop (one thread, every input ring of that thread) is shaped like this:
//
//   for (;;) {
//     const n = pollEveryInputRing();
//     if (n > 0) wait.busy();            // work found: the next idle stretch starts with a fresh spin budget
//     else wait.idle(bell, hasWork);     // nothing: spin, or park on this thread's doorbell
//   }
//
// The strategies trade hand-off latency against CPU (figures from bench/suites/ring.ts and idle.ts):
//   BusySpin      hands off in well under a microsecond, and burns a whole core forever, idle or not.
//                 Only for threads that have a core to themselves: spinning threads that outnumber cores
//                 starve each other (the one holding the work waits for a time slice).
//   SpinThenPark  the default where busy threads fit the cores (exchange/topology.ts defaultWait). Spins
//                 a bounded number of polls after the last work, then parks; an idle
//                 thread costs almost no CPU, a busy one runs at ring speed, and the first record after a
//                 quiet spell pays one wake-up (tens of microseconds).
//   Park          parks at once: the least CPU, every hand-off after a gap pays a wake-up. The exchange's
//                 default where busy threads outnumber the cores: a spin there holds a core the thread
//                 with the work is waiting for, so it adds latency instead of saving it.
// A strategy instance holds the spin state of one waiting site (one loop): never share one across threads.

import { SpinThenPark } from './spin-then-park.js';

/** Something a thread can sleep on until woken or timed out: a Doorbell, or a producer's wait for space. */
export interface Parker {
  /** Sleeps unless hasWork() (checked after announcing the sleep) says otherwise; returns on wake or timeout. */
  park(hasWork: () => boolean, timeoutMs: number): void;
}

export interface WaitStrategy {
  /** Called when a poll found nothing. May return at once (spin) or block in bell.park (worker threads only). */
  idle(bell: Parker, hasWork: () => boolean): void;
  /** Called when a poll found work: resets the spin budget. */
  busy(): void;
}

/** SpinThenPark with its default budget: the strategy of a loop built outside an exchange (tests, benches). */
export function defaultWaitStrategy(): WaitStrategy {
  return new SpinThenPark();
}
