// IdAllocator: the order ids and request ids the gateway assigns, from one counter so they never collide
// (pending-answers.ts keys on them). Gateway ids live in [1, 2^51) (docs/COMMANDS.md: order ids from 2^52
// are the risk shards'). After a restart the counter must start past every id handed out before it:
// Durability.gatewayCommands() bounds them (every command carries at most one new id).
//
// Request ids in the engine, per account (the risk shard's applied set):
//
//   [1, 2^51)         the gateway's own (this counter)
//   [2^51, 2^52)      a trader's withdrawal: 2^51 + withdrawalId (withdrawalRequestId), the same engine id
//                     for every attempt, so the risk shard applies it at most once whatever the gateway
//                     remembers (also after a restart: the applied set is in its journal and snapshots)
//   [2^52, 2^53)      the operator's (operator/operator-commands.ts: 2^52 + custody's id)

const MAX_GATEWAY_ID = 2 ** 51 - 1;

/** The engine request id of withdrawalId w is WITHDRAWAL_REQUEST_BASE + w. */
const WITHDRAWAL_REQUEST_BASE = 2 ** 51;
/** A trader's withdrawal ids are 1 to this. */
export const MAX_WITHDRAWAL_ID = 2 ** 51 - 1;

export const withdrawalRequestId = (withdrawalId: number): number => WITHDRAWAL_REQUEST_BASE + withdrawalId;

/** Is this engine request id a trader's withdrawal's (keyed per account, not by the gateway's counter)? */
export const isWithdrawalRequestId = (requestId: number): boolean => requestId >= WITHDRAWAL_REQUEST_BASE && requestId < 2 * WITHDRAWAL_REQUEST_BASE;

export class IdAllocator {
  constructor(private next = 1) {
    if (!Number.isSafeInteger(next) || next < 1 || next > MAX_GATEWAY_ID) throw new RangeError(`first id must be in [1, 2^51), got ${next}`);
  }

  take(): number {
    if (this.next > MAX_GATEWAY_ID) throw new RangeError('gateway ids exhausted');
    return this.next++;
  }

  get peek(): number {
    return this.next;
  }
}
