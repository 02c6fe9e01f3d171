// Driving a threaded exchange with prepared commands and waiting for it to be quiet: the restart tests'
// common steps (restart-deposits.test.ts, restart-slices.test.ts).

import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import type { ShardStates } from '../../../exchange/shard-states.js';
import type { ThreadedExchange } from '../../../exchange/threaded-exchange.js';
import type { Cmd } from '../../support/commands.js';

/** Offers what the ring takes of `cmds` from `from` (at most `max`); returns the index of the first not taken. */
export function offer(ex: ThreadedExchange, cmds: Cmd[], from: number, max: number): number {
  const buf = RecordBuffer.allocate(1);
  let i = from;
  for (; i < cmds.length && i < from + max; i++) {
    const c = cmds[i]!;
    encodeRecord(buf, 0, c.layout, c.header, c.body);
    if (!ex.offer(buf, 0)) break;
  }
  ex.flush();
  return i;
}

/**
 * Waits until every shard handled everything and every record it made was polled; returns a copy taken
 * then. The copy resolves once the journal's cut covers it, so every record made before it is releasable.
 */
export async function quiet(ex: ThreadedExchange, poll: () => number): Promise<ShardStates> {
  for (;;) {
    while (poll() > 0);
    if (ex.drained()) {
      const states = await ex.shardStates();
      while (poll() > 0);
      if (ex.drained()) return states;
    }
    await ex.waitForOutput(5);
  }
}
