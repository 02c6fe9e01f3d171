// Fill-or-kill pre-check for the fast book: would matching fill all of an order now? It walks the
// opposite side exactly as matching would, without changing anything, and replays the rules that can
// stop or shrink a fill:
//   - a maker of the taker's own account: EXPIRE_MAKER skips it (matching would expire it), EXPIRE_TAKER
//     and EXPIRE_BOTH end the taker there;
//   - a reduce-only taker fills at most |position| (only its own fills move its position, so that bound
//     holds for the whole walk);
//   - a reduce-only maker fills at most what still reduces its account's position, counting the fills
//     the walk has already given that account; at 0 it would have been cancelled by the clean-up after
//     that account's earlier trade, so the walk skips it.
// Per-account fills of the walk live in AccountTable.simDelta, valid for the current simEpoch only, so
// nothing is cleared or allocated per check.

import { StpMode } from '../enums.js';
import type { AccountTable } from './account-table.js';
import { F_REMAINING, F_STRIDE_SHIFT, FLAG_REDUCE_ONLY, I_ACCOUNT, I_FLAGS, I_NEXT, I_STRIDE_SHIFT, type OrderPool } from './order-pool.js';
import { crosses, reducibleLots, signedLots } from './order-rules.js';
import type { PriceLevels } from './price-levels.js';

export class FillCheck {
  private epoch = 0;

  constructor(
    private readonly pool: OrderPool,
    private readonly levels: PriceLevels,
    private readonly accounts: AccountTable,
  ) {}

  canFill(side: number, acct: number, stpMode: number, reduceOnly: boolean, qtyLots: number, limitTicks: number): boolean {
    const pool = this.pool;
    const acc = this.accounts;
    if (reduceOnly && reducibleLots(acc.positionOf(acct), side) < qtyLots) return false;
    if (++this.epoch === 0x7fffffff) {
      acc.simEpoch.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    const opp = side ^ 1;
    const levels = this.levels;
    const s = levels.sides[opp]!;
    let need = qtyLots;
    const f64 = pool.f64;
    const i32 = pool.i32;
    for (let i = s.len - 1; i >= 0; i--) {
      const lv = s.slots[i]!;
      if (!crosses(side, limitTicks, levels.priceOf(lv))) return false;
      for (let m = levels.headOf(lv); m >= 0; m = i32[(m << I_STRIDE_SHIFT) + I_NEXT]!) {
        const mi = m << I_STRIDE_SHIFT;
        const ma = i32[mi + I_ACCOUNT]!;
        if (ma === acct) {
          if (stpMode === StpMode.EXPIRE_MAKER) continue;
          return false;
        }
        if (acc.simEpoch[ma] !== epoch) {
          acc.simEpoch[ma] = epoch;
          acc.simDelta[ma] = 0;
        }
        let avail = f64[(m << F_STRIDE_SHIFT) + F_REMAINING]!;
        if ((i32[mi + I_FLAGS]! & FLAG_REDUCE_ONLY) !== 0) {
          const room = reducibleLots(acc.positionOf(ma) + acc.simDelta[ma]!, opp);
          if (room === 0) continue;
          if (room < avail) avail = room;
        }
        if (need <= avail) return true;
        need -= avail;
        acc.simDelta[ma]! += signedLots(opp, avail);
      }
    }
    return false;
  }
}
