// The surveillance worker wired into the threaded exchange sees every market shard's events through its
// own ring and raises the same alerts as the surveillance state machine wired into the in-process
// exchange, from the same commands; a spoofing episode in the script is among them. Operator links reach
// it through the control input, offered while it runs or given at start (the links stored before a
// restart).

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

test('the threaded surveillance workers (one, or one per market shard) raise the alerts the in-process state machine raises', async () => {
  const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 1 });
  const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
  const { localAlerts, local } = inProcess(topology, riskMarkets);

  const one = await threaded(topology, riskMarkets, 1, localAlerts.length);
  assert.deepEqual(one.hashes, [local.surveillance!.stateHash()]);
  const detectors = localAlerts.map((a) => a.detector).sort();
  assert.ok(detectors.includes(DetectorId.SPOOFING), `alerts: ${detectors.join(', ')}`);
  assert.ok(detectors.includes(DetectorId.WASH_LINKED), `alerts: ${detectors.join(', ')}`);
  assert.deepEqual(one.alerts, localAlerts);

  // Two workers, one per market shard: the same alerts (same ids: a shard's stream keeps its number).
  const two = await threaded(topology, riskMarkets, 2, localAlerts.length);
  assert.equal(two.hashes.length, 2);
  assert.ok(two.hashes.every((h) => h !== undefined));
  assert.deepEqual(two.alerts, localAlerts);
});

test('owner links given at start reach every surveillance worker before any market event: the linked wash trade is raised', async () => {
  const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 1 });
  const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
  const { localAlerts } = inProcess(topology, riskMarkets);
  const atStart = await threaded(topology, riskMarkets, 2, localAlerts.length, true);
  assert.ok(atStart.alerts.some((a) => a.detector === DetectorId.WASH_LINKED), `alerts: ${atStart.alerts.map((a) => a.detector).join(', ')}`);
  assert.deepEqual(atStart.alerts, localAlerts);
});

/** The script through the in-process exchange and its surveillance state machine, links offered first. */
function inProcess(topology: Topology, riskMarkets: ReturnType<typeof riskMarket>[]): { localAlerts: Alert[]; local: InProcessExchange } {
  const buf = RecordBuffer.allocate(1);
  const localAlerts: Alert[] = [];
  const local = new InProcessExchange({ topology, riskMarkets, surveillance: { onAlert: (a) => localAlerts.push(a) } });
  for (const [a, o] of links) {
    link(buf, a!, o!);
    local.submitRecord(buf, 0);
  }
  for (const c of surveillanceScript()) local.send(c.layout, c.header, c.body);
  return { localAlerts, local };
}

async function threaded(topology: Topology, riskMarkets: ReturnType<typeof riskMarket>[], workers: number, expect: number, linksAtStart = false): Promise<{ alerts: Alert[]; hashes: (bigint | undefined)[] }> {
  const buf = RecordBuffer.allocate(1);
  const alerts: Alert[] = [];
  const ex = await ThreadedExchange.start({ topology, riskMarkets, ringCapacity: 256, surveillance: { workers, onAlert: (a) => alerts.push(a), owners: linksAtStart ? links : undefined } });
  try {
    if (!linksAtStart) {
      for (const [a, o] of links) {
        link(buf, a, o);
        assert.ok(ex.offer(buf, 0));
      }
    }
    ex.flush();
    for (const c of surveillanceScript()) await sendSettled(ex, c, buf);
    // Alerts arrive by postMessage: give the event loop a few turns to deliver them.
    for (let i = 0; i < 50 && alerts.length < expect; i++) await new Promise((r) => setTimeout(r, 10));
    const hashes = await ex.stop();
    assert.equal(ex.failure, undefined);
    return { alerts, hashes: hashes.surveillance };
  } finally {
    await ex.stop();
  }
}
