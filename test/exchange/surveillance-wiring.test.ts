// The surveillance worker wired into the threaded exchange sees every market shard's events through its
// own ring and raises the same alerts as the surveillance state machine wired into the in-process
// exchange, from the same commands; a spoofing episode in the script is among them. Operator links reach
// it through the control input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { SetBeneficialOwnerLayout } from '../../engine/ring/layouts/set-beneficial-owner.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { DetectorId, type Alert } from '../../risk/surveillance/alert.js';
import { cancel, indexTick, place, type Cmd } from '../support/commands.js';
import { advanceTime, deposit } from '../support/risk-commands.js';

const T0 = 1_700_000_000_000_000;
const USDT = 1_000_000n;
const MID = 600_000;

function script(): Cmd[] {
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
  // A timer tick a minute later closes the wash episode.
  cmds.push(at(advanceTime(0), 60_000_000));
  return cmds;
}

const links = [
  [6, 42],
  [7, 42],
];

function link(buf: RecordBuffer, accountId: number, ownerId: number): void {
  encodeRecord(buf, 0, SetBeneficialOwnerLayout, { accountId, timeUs: T0 }, { ownerId });
}

test('the threaded surveillance worker raises the alerts the in-process state machine raises', async () => {
  const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 1 });
  const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
  const cmds = script();
  const buf = RecordBuffer.allocate(1);

  const localAlerts: Alert[] = [];
  const local = new InProcessExchange({ topology, riskMarkets, surveillance: { onAlert: (a) => localAlerts.push(a) } });
  for (const [a, o] of links) {
    link(buf, a!, o!);
    local.submitRecord(buf, 0);
  }
  for (const c of cmds) local.send(c.layout, c.header, c.body);

  const alerts: Alert[] = [];
  const threaded = await ThreadedExchange.start({ topology, riskMarkets, ringCapacity: 256, surveillance: { onAlert: (a) => alerts.push(a) } });
  try {
    for (const [a, o] of links) {
      link(buf, a!, o!);
      assert.ok(threaded.offer(buf, 0));
    }
    threaded.flush();
    for (const c of cmds) {
      encodeRecord(buf, 0, c.layout, c.header, c.body);
      assert.ok(threaded.offer(buf, 0));
      threaded.flush();
      // Drained: every shard and the surveillance worker has handled all it was sent.
      while (!threaded.drained()) {
        threaded.poll(() => {});
        await threaded.waitForOutput(1);
      }
      threaded.poll(() => {});
    }
    // Alerts arrive by postMessage: give the event loop a few turns to deliver them.
    for (let i = 0; i < 50 && alerts.length < localAlerts.length; i++) await new Promise((r) => setTimeout(r, 10));
    const hashes = await threaded.stop();
    assert.equal(threaded.failure, undefined);
    assert.deepEqual(hashes.surveillance, [local.surveillance!.stateHash()]);
  } finally {
    await threaded.stop();
  }
  const detectors = localAlerts.map((a) => a.detector).sort();
  assert.ok(detectors.includes(DetectorId.SPOOFING), `alerts: ${detectors.join(', ')}`);
  assert.ok(detectors.includes(DetectorId.WASH_LINKED), `alerts: ${detectors.join(', ')}`);
  assert.deepEqual(alerts, localAlerts);
});
