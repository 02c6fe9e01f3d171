// IdAllocator: the order ids and request ids the gateway assigns, from one counter so they never collide
// (pending-answers.ts keys on them). Gateway order ids live in [1, 2^52) (docs/COMMANDS.md: the ids above
// are the risk shards'). After a restart the counter must start past every id handed out before it:
// Durability.gatewayCommands() bounds them (every command carries at most one new id).

const MAX_GATEWAY_ID = 2 ** 52 - 1;

export class IdAllocator {
  constructor(private next = 1) {
    if (!Number.isSafeInteger(next) || next < 1 || next > MAX_GATEWAY_ID) throw new RangeError(`first id must be in [1, 2^52), got ${next}`);
  }

  take(): number {
    if (this.next > MAX_GATEWAY_ID) throw new RangeError('gateway ids exhausted');
    return this.next++;
  }

  get peek(): number {
    return this.next;
  }
}
