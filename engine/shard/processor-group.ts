// ProcessorGroup: several EventProcessors on one thread, for a machine with fewer cores than busy threads.
// Each processor stays its own consumer loop over its own rings (its state machine's input order is its
// own, so grouping changes no state and no journal); the group only interleaves their turns:
//
//   for (;;) {
//     found = p0.turn() + p1.turn() + …        // one bounded batch per input of each, in a fixed order
//     if (found > 0) wait.busy();
//     else { each.quiet(); wait.idle(bell, any hasWork) }   // park only when every member is idle
//   }
//
// The members share the thread's doorbell: every producer of any member's inputs rings it. The loop ends
// when any member's run flag is cleared (ShardWorker clears them all at once). Thread contract: the
// worker thread that runs it.

import type { Doorbell } from '../ring/doorbell.js';
import type { WaitStrategy } from '../ring/wait-strategy.js';
import type { EventProcessor } from './event-processor.js';

export class ProcessorGroup {
  private readonly hasWork: () => boolean;

  constructor(
    private readonly members: readonly EventProcessor[],
    private readonly bell: Doorbell,
    private readonly wait: WaitStrategy,
  ) {
    if (members.length === 0) throw new RangeError('a processor group needs at least one member');
    this.hasWork = () => members.some((p) => p.hasWork());
  }

  private running(): boolean {
    for (const p of this.members) if (!p.running()) return false;
    return true;
  }

  /** Runs every member until one's run flag is cleared; then returns. */
  run(): void {
    const members = this.members;
    while (this.running()) {
      let found = 0;
      for (let i = 0; i < members.length; i++) found += members[i]!.turn();
      if (found > 0) this.wait.busy();
      else {
        for (const p of members) p.quiet();
        this.wait.idle(this.bell, this.hasWork);
      }
    }
    for (const p of members) p.finish();
  }
}
