// Offering a command to a threaded exchange whose ring is full: the tests' one way to wait for room
// (flush what is claimed, park until a shard publishes, drain the gateway-bound rings, try again).

import type { RecordBuffer } from '../../engine/ring/record.js';

export interface Offering {
  offer(buf: RecordBuffer, at: number): boolean;
  flush(): void;
  waitForOutput(ms: number): Promise<unknown>;
  poll(listener: (buf: RecordBuffer, at: number) => void): number;
}

/** Offers the record at `at` until the exchange takes it; returns the gateway records polled meanwhile. */
export async function offerWaiting(ex: Offering, buf: RecordBuffer, at = 0, listener: (buf: RecordBuffer, at: number) => void = () => {}): Promise<number> {
  let polled = 0;
  while (!ex.offer(buf, at)) {
    ex.flush();
    await ex.waitForOutput(1);
    polled += ex.poll(listener);
  }
  return polled;
}
