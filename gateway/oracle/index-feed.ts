// The oracle's ticks into the exchange: each tick is encoded (index-tick.ts) and offered to its market
// shard's gateway stream as one group, whole or not at all. A full ring refuses the group (counted); the
// gateway never waits on a ring, and the next cycle sends a fresh tick, so nothing is queued stale.

import { RecordBuffer } from '../../engine/ring/record.js';
import { encodeIndexTick, type IndexTick } from './index-tick.js';
import type { IndexOracle } from './oracle.js';

/** What the feed needs of an exchange: ThreadedExchange and InProcessExchange both have it. */
export interface IndexTickSink {
  offerMarketGroup(buf: RecordBuffer, count: number): boolean;
  flush?(): void;
}

/**
 * Sends every tick the oracle computes into the exchange, or only those `accept` takes (the markets whose
 * index source is the oracle: index-sources.ts); returns the function that sends one.
 */
export function feedIndexTicks(oracle: IndexOracle, exchange: IndexTickSink, accept: (t: IndexTick) => boolean = () => true): (t: IndexTick) => boolean {
  const buf = RecordBuffer.allocate(256);
  const send = (t: IndexTick): boolean => {
    if (!accept(t)) return false;
    const n = encodeIndexTick(t, buf);
    const taken = exchange.offerMarketGroup(buf, n);
    if (taken) exchange.flush?.();
    else oracle.metrics.ticksDropped.inc({ market: t.symbol });
    return taken;
  };
  oracle.onTick(send);
  return send;
}
