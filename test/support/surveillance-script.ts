// The surveillance test script: two makers quote a book, account 5 spoofs (a large sell near the ask, a
// small buy, the sell cancelled), accounts 6 and 7, declared to one owner, trade with each other, and a
// timer tick a minute later closes the wash episode. Every command carries the gateway's clock.

import { Side, TimeInForce } from '../../engine/enums.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { SetBeneficialOwnerLayout } from '../../engine/ring/layouts/set-beneficial-owner.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { cancel, indexTick, place, type Cmd } from './commands.js';
import { advanceTime, deposit } from './risk-commands.js';
import { offerWaiting, type Offering } from './offer.js';

export const T0 = 1_700_000_000_000_000;
const USDT = 1_000_000n;
const MID = 600_000;

export function surveillanceScript(): Cmd[] {
  const cmds: Cmd[] = [];
  let order = 1;
  let t = T0;
  const at = (c: Cmd, dt = 1_000): Cmd => {
    t += dt;
    c.header.timeUs = t;
    return c;
  };
  // Every command carries the gateway's clock (a shard refuses time that goes backwards or jumps past its
  // horizon, docs/COMMANDS.md): the deposits too.
  for (const id of [1, 2, 5, 6, 7]) cmds.push(at(deposit(id, 10_000_000n * USDT, id)));
  cmds.push(at(indexTick(MID, T0)));
  // Two makers quote ten levels a side.
  for (let k = 1; k <= 10; k++) {
    cmds.push(at(place({ orderId: order++, accountId: 1 + (k % 2), side: Side.BUY, priceTicks: MID - 50 * k, qtyLots: 10, timeInForce: TimeInForce.GTC })));
    cmds.push(at(place({ orderId: order++, accountId: 2 - (k % 2), side: Side.SELL, priceTicks: MID + 50 * k, qtyLots: 10, timeInForce: TimeInForce.GTC })));
  }
  // Account 5 spoofs: a large sell near the ask, a small buy, the sell cancelled.
  const spoof = order++;
  cmds.push(at(place({ orderId: spoof, accountId: 5, side: Side.SELL, priceTicks: MID + 100, qtyLots: 300 }), 1_000_000));
  cmds.push(at(place({ orderId: order++, accountId: 5, side: Side.BUY, priceTicks: MID + 50, qtyLots: 10, timeInForce: TimeInForce.IOC }), 200_000));
  cmds.push(at(cancel(5, spoof), 300_000));
  // Accounts 6 and 7 are declared to one owner and trade with each other.
  cmds.push(at(place({ orderId: order++, accountId: 6, side: Side.SELL, priceTicks: MID, qtyLots: 5 })));
  cmds.push(at(place({ orderId: order++, accountId: 7, side: Side.BUY, priceTicks: MID, qtyLots: 5, timeInForce: TimeInForce.IOC })));
  // A timer tick a minute later closes the wash episode; the oracle has kept ticking meanwhile (an index
  // silent for longer than 10 s would go stale at that tick: docs/ORACLE.md).
  cmds.push(at(indexTick(MID, 0), 59_000_000));
  cmds.push(at(advanceTime(0), 1_000_000));
  return cmds;
}

export const links: [number, number][] = [
  [6, 42],
  [7, 42],
];

export function link(buf: RecordBuffer, accountId: number, ownerId: number): void {
  encodeRecord(buf, 0, SetBeneficialOwnerLayout, { accountId, timeUs: T0 }, { ownerId });
}


/** The part of ThreadedExchange these helpers drive. */
interface Drainable extends Offering {
  /** Every shard and the surveillance worker has handled all it was sent. */
  drained(): boolean;
}

/**
 * Sends one command and waits until the exchange is quiet: a cancel goes to its market shard directly
 * while the order it cancels passes through risk first, so a script of episodes must not let the one
 * overtake the other.
 */
export async function sendSettled(ex: Drainable, c: Cmd, buf: RecordBuffer): Promise<void> {
  encodeRecord(buf, 0, c.layout, c.header, c.body);
  await offerWaiting(ex, buf);
  ex.flush();
  // Drained, not quiet for a while: a quiet period is a guess that a loaded machine breaks.
  while (!ex.drained()) {
    ex.poll(() => {});
    await ex.waitForOutput(1);
  }
  ex.poll(() => {});
}
