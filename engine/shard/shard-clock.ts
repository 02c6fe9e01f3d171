// ShardClock: a shard's current time, and the rule every record that moves it meets (docs/COMMANDS.md,
// "Time"). The gateway stamps timeUs on each record it sends and its clock never goes backwards, so on a
// stream from the gateway a record whose time goes backwards, jumps more than the horizon past the
// shard's current time, or passes MAX_TIME_US is refused and moves nothing; the first record sets the
// time. The horizon bounds how far one record can move time, so a bad stamp cannot push a shard into a
// future every honest record would then be refused against; an exchange stopped for longer catches up
// with timer ticks a horizon apart.
//
// A record refused for its time is answered at the shard's current time, never its own: the answer must
// not carry the time that was refused (and a time past MAX_TIME_US would not fit the field).
// Thread contract: the shard's thread.

import { Code } from '../codes.js';
import { MAX_TIME_US } from '../ring/record.js';

/** Default horizon: seven days (an exchange stopped for a long weekend catches up in one tick). */
export const DEFAULT_TIME_HORIZON_US = 7 * 24 * 3_600_000_000;

export class ShardClock {
  /** The latest time accepted (0: none yet). */
  nowUs = 0;

  constructor(readonly horizonUs: number = DEFAULT_TIME_HORIZON_US) {
    if (!Number.isSafeInteger(horizonUs) || horizonUs < 1 || horizonUs > MAX_TIME_US) throw new RangeError(`time horizon must be an integer in [1, ${MAX_TIME_US}] µs, got ${horizonUs}`);
  }

  /** OK when a record stamped timeUs may move this shard's time, else why not. Changes nothing. */
  check(timeUs: number): number {
    if (!(timeUs <= MAX_TIME_US)) return Code.TIME_OUT_OF_RANGE;
    if (timeUs < this.nowUs) return Code.TIME_WENT_BACKWARDS;
    if (this.nowUs > 0 && timeUs - this.nowUs > this.horizonUs) return Code.TIME_BEYOND_HORIZON;
    return Code.OK;
  }

  /** Moves time to timeUs (a time check() accepted). */
  advance(timeUs: number): void {
    this.nowUs = timeUs;
  }
}

/** Whether a code is one of the clock's own (the answer then carries the shard's time, not the record's). */
export function isTimeCode(code: number): boolean {
  return code === Code.TIME_OUT_OF_RANGE || code === Code.TIME_WENT_BACKWARDS || code === Code.TIME_BEYOND_HORIZON;
}
