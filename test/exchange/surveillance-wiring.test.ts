// The surveillance worker wired into the threaded exchange sees every market shard's events through its
// own ring and raises the same alerts as the surveillance state machine wired into the in-process
// exchange, from the same commands; a spoofing episode in the script is among them. Operator links reach
// it through the control input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { DetectorId, type Alert } from '../../risk/surveillance/alert.js';
import { link, links, sendSettled, surveillanceScript } from '../support/surveillance-script.js';

test('the threaded surveillance worker raises the alerts the in-process state machine raises', async () => {
  const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 1 });
  const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
  const cmds = surveillanceScript();
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
    for (const c of cmds) await sendSettled(threaded, c, buf);
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
