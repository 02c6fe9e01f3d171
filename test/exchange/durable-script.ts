// A seeded command script for durability tests, in slices: slice [from, from + count) of one endless
// script, so a test can send part of it, restart, and send the next part with ids and times that continue.

import { OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { USDT_DECIMALS } from '../../engine/market/spec.js';
import { cancel, indexTick, place, type Cmd } from '../support/commands.js';
import { advanceTime, deposit } from '../support/risk-commands.js';
import { rng } from '../support/seed.js';

const T0 = 1_700_000_000_000_000;
const USDT = 10n ** BigInt(USDT_DECIMALS);
const SCRIPT_ACCOUNTS = 8;

export function durableScript(seed: number, from: number, count: number): Cmd[] {
  const cmds: Cmd[] = [];
  for (let i = from; i < from + count; i++) {
    const r = rng(seed * 1_000_003 + i);
    const t = T0 + i * 10_000;
    if (i < SCRIPT_ACCOUNTS) {
      cmds.push(deposit(1 + i, 1_000_000n * USDT, 1 + i));
      continue;
    }
    if (i === SCRIPT_ACCOUNTS) {
      cmds.push(indexTick(600_000, t, 1));
      continue;
    }
    if (i === SCRIPT_ACCOUNTS + 1) {
      cmds.push(indexTick(30_000, t, 2));
      continue;
    }
    const marketId = 1 + (r() % 2);
    const mid = marketId === 1 ? 600_000 : 30_000;
    const accountId = 1 + (r() % SCRIPT_ACCOUNTS);
    const k = r() % 20;
    const c =
      k < 12
        ? place({ orderId: 1 + i, accountId, marketId, side: (r() % 2) as Side, priceTicks: mid + (r() % 21) - 10, qtyLots: 1 + (r() % 50), timeUs: t })
        : k < 16
          ? place({ orderId: 1 + i, accountId, marketId, side: (r() % 2) as Side, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, qtyLots: 1 + (r() % 20), timeUs: t })
          : k < 18
            ? cancel(accountId, 1 + (r() % i), 0, marketId)
            : k < 19
              ? indexTick(mid + (r() % 41) - 20, t, marketId)
              : advanceTime(t);
    c.header.timeUs = t;
    cmds.push(c);
  }
  return cmds;
}
