// InFlight: the orders a connection, an account and the whole gateway may have waiting for the exchange's
// answer. Past any of the three bounds a new order is refused at once with BACK_PRESSURE (retryable,
// nothing taken), before it reserves an id, touches the store or the rings: refusing costs a decode and a
// small answer, less than accepting. Without the bounds an overloaded gateway queued every order it read
// (up to the rings' capacity, 16,384 records each), so every accepted order waited behind seconds of
// others and the answers came too late to be of use (bench/RESULTS.md, "overload").
//
// Only orders that add or change resting risk count and are refused (place, batchPlace per item,
// cancelReplace, amend); cancels are never refused here: they are how a client sheds risk under load.

import type { Session } from './session.js';

export interface InFlightLimits {
  /** Orders one connection may have waiting for the exchange (default 512). */
  readonly maxInFlightPerConnection: number;
  /** Orders one account may have waiting, over all its connections (default 1,024). */
  readonly maxInFlightPerAccount: number;
  /** Orders the whole gateway may have waiting (default 4,096). */
  readonly maxInFlight: number;
}

/** How many orders a request of `op` carries toward the bounds (0: not bounded). */
export function ordersOf(op: string, fields: Readonly<Record<string, unknown>>): number {
  switch (op) {
    case 'place':
    case 'cancelReplace':
    case 'amend':
      return 1;
    case 'batchPlace':
      return (fields['orders'] as unknown[]).length;
    default:
      return 0;
  }
}

export class InFlight {
  /** Orders waiting now, the whole gateway. */
  total = 0;
  /** Orders refused at a bound since start. */
  refused = 0;
  private readonly byAccount = new Map<number, number>();

  constructor(private readonly limits: InFlightLimits) {}

  /**
   * Counts `n` orders of the session's account in flight; false (nothing counted) when that would pass a
   * bound. Each true is matched by one release() with the same account and n.
   */
  take(s: Session, accountId: number, n: number): boolean {
    const l = this.limits;
    const account = this.byAccount.get(accountId) ?? 0;
    if (s.inFlight + n > l.maxInFlightPerConnection || account + n > l.maxInFlightPerAccount || this.total + n > l.maxInFlight) {
      this.refused += n;
      return false;
    }
    s.inFlight += n;
    this.byAccount.set(accountId, account + n);
    this.total += n;
    return true;
  }

  release(s: Session, accountId: number, n: number): void {
    s.inFlight -= n;
    this.total -= n;
    const left = (this.byAccount.get(accountId) ?? n) - n;
    if (left <= 0) this.byAccount.delete(accountId);
    else this.byAccount.set(accountId, left);
  }
}
