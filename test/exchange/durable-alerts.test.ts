// Durable alerts: the AlertBook over a RocksDB store keeps alerts and operators' actions across a
// restart and deduplicates the alerts a restarted exchange raises again; and an alert's evidence is
// reproduced from the journal of the durable threaded exchange that raised it (replayAlert).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { Durability } from '../../exchange/durability.js';
import { AlertBook, AlertStatus } from '../../exchange/surveillance/alert-book.js';
import { AlertActionKind } from '../../exchange/surveillance/alert-storage.js';
import { replayAlert } from '../../exchange/surveillance/alert-replay.js';
import { openDurableAlerts } from '../../exchange/surveillance/durable-alerts.js';
import { StoreAlertStorage } from '../../exchange/surveillance/store-alert-storage.js';
import { ThreadedExchange, type Listener } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { alertsRange } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { riskMarket } from '../../risk/shard/config.js';
import { DetectorId, type Alert } from '../../risk/surveillance/alert.js';
import { link, links, sendSettled, surveillanceScript, T0 } from '../support/surveillance-script.js';
import { sampleAlerts } from './sample-alerts.js';
import { EXIT } from '../../exchange/restore/main.js';
import { alertKey, encodeValue } from '../../exchange/surveillance/alert-storage.js';
import { alertsKey } from '../../persistence/keys.js';
import { tool } from './restore-cli.js';

const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 1 });
const config = { topology: topology.config, riskMarkets };
const quiet = (line: string) => void line;

async function withDirs<T>(f: (...dirs: string[]) => Promise<T>): Promise<T> {
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'perpx-alerts-')));
  try {
    return await f(...dirs);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

async function storedKeys(dir: string): Promise<number> {
  const s = await RocksStore.open(dir);
  let n = 0;
  for await (const _ of s.scan(alertsRange(''))) n++;
  await s.close();
  return n;
}

test('alerts and audited actions survive a reopen of the store; an alert stored before is a duplicate after it', () =>
  withDirs(async (dir) => {
    const alerts = sampleAlerts();
    assert.ok(alerts.length >= 3);
    const first = await openDurableAlerts(dir);
    // The same alert twice at once is stored once.
    const both = await Promise.all([first.book.ingest(alerts[0]!), first.book.ingest(structuredClone(alerts[0]!))]);
    assert.deepEqual(both.sort(), [false, true]);
    for (const a of alerts.slice(1)) assert.equal(await first.book.ingest(a), true);
    // Eleven actions on one alert: the audit trail's order must not be the text order of 1..11.
    for (let n = 1; n <= 11; n++) await first.book.act(alerts[0]!.id, AlertActionKind.ACKNOWLEDGE, `op${n}`, `note ${n}`, 1_000 + n);
    await first.book.act(alerts[1]!.id, AlertActionKind.ESCALATE, 'lead', 'to compliance', 2_000);
    const listed = first.book.list();
    await first.close();
    assert.equal(await storedKeys(dir), alerts.length + 12);

    const second = await openDurableAlerts(dir);
    try {
      assert.deepEqual(second.book.list(), listed);
      assert.deepEqual((await second.book.get(alerts[0]!.id))!.alert, alerts[0]);
      assert.deepEqual(
        (await second.book.get(alerts[0]!.id))!.actions.map((x) => x.operator),
        Array.from({ length: 11 }, (_, i) => `op${i + 1}`),
      );
      assert.equal((await second.book.get(alerts[1]!.id))!.status, AlertStatus.ESCALATED);
      assert.equal(await second.book.ingest(structuredClone(alerts[2]!)), false);
      assert.equal(second.book.duplicates, 1);
      // The next action continues the trail where the stored one ended.
      await second.book.act(alerts[0]!.id, AlertActionKind.ESCALATE, 'op12', 'escalated after review', 3_000);
      assert.equal((await second.book.get(alerts[0]!.id))!.actions.at(-1)!.n, 12);
    } finally {
      await second.close();
    }
    // A storage that did not load still refuses to store an alert twice: the store itself is asked.
    const s = await RocksStore.open(dir);
    try {
      assert.equal(await new StoreAlertStorage(s).putAlert(alerts[0]!), false);
    } finally {
      await s.close();
    }
    assert.equal(await storedKeys(dir), alerts.length + 13);
  }));

/**
 * Runs the surveillance script (or nothing) on a durable threaded exchange; returns the alerts its worker
 * raised and how many market-shard records the gateway was handed.
 */
async function run(dataDir: string, book: AlertBook, sendScript: boolean, expect: (raised: Alert[]) => boolean): Promise<Alert[] & { marketRecords: number }> {
  let marketRecords = 0;
  const count: Listener = (_b, _a, from) => {
    if (from.kind === 'market') marketRecords++;
  };
  const durability = await Durability.open({ dir: dataDir, log: quiet }, topology, config);
  const raised: Alert[] = [];
  const stored: Promise<boolean>[] = [];
  const ex = await ThreadedExchange.start({
    topology,
    riskMarkets,
    durability,
    ringCapacity: 256,
    surveillance: {
      onAlert: (a) => {
        raised.push(a);
        stored.push(book.ingest(a));
      },
    },
  });
  try {
    const buf = RecordBuffer.allocate(1);
    for (const [a, o] of links) {
      link(buf, a, o);
      assert.ok(ex.offer(buf, 0));
    }
    ex.flush();
    for (const c of sendScript ? surveillanceScript() : []) await sendSettled(ex, c, buf);
    // Alerts arrive by postMessage after the records that raise them: wait until the expected ones are in.
    for (let i = 0; i < 1_000 && !expect(raised); i++) {
      await ex.waitForOutput(5);
      ex.poll(count);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await ex.stop(count);
    assert.equal(ex.failure, undefined);
  }
  await Promise.all(stored);
  return Object.assign(raised, { marketRecords });
}

test('a durable exchange with surveillance: alerts stored, acted on, raised again after a restart as duplicates, and reproduced from the journal', () =>
  withDirs(async (dataDir, alertDir) => {
    const spoofRaised = (xs: Alert[]) => xs.some((a) => a.detector === DetectorId.SPOOFING);
    const firstAlerts = await openDurableAlerts(alertDir);
    const raised = await run(dataDir, firstAlerts.book, true, (xs) => spoofRaised(xs) && xs.some((a) => a.detector === DetectorId.WASH_LINKED));
    const spoof = raised.find((a) => a.detector === DetectorId.SPOOFING)!;
    const wash = raised.find((a) => a.detector === DetectorId.WASH_LINKED)!;
    assert.ok(spoof && wash, `raised: ${raised.map((a) => a.detector).join(', ')}`);
    assert.equal(firstAlerts.book.size, raised.length);
    await firstAlerts.book.act(spoof.id, AlertActionKind.ACKNOWLEDGE, 'op1', 'looked at it', 1);
    await firstAlerts.book.act(wash.id, AlertActionKind.ESCALATE, 'op1', 'same owner', 2);
    await firstAlerts.close();

    // Evidence from the journal: each alert's market shard replayed through a fresh shard and engine.
    const d = await Durability.open({ dir: dataDir, log: quiet }, topology, config);
    for (const a of raised) {
      assert.deepEqual(replayAlert({ topology, riskMarkets }, d.logs[a.stream - 1]!, a, { owners: links }), [a], `${a.id} replays`);
    }
    // Without the operators' links the linked wash trade is not reproduced: the replay takes them as declared.
    assert.deepEqual(replayAlert({ topology, riskMarkets }, d.logs[wash.stream - 1]!, wash), []);

    // Restart: the journal's replay re-delivers the surveillance stream, the worker raises the spoofing
    // alert again, and the book (reloaded from its store) keeps one copy with its audit trail.
    const secondAlerts = await openDurableAlerts(alertDir);
    try {
      assert.equal(secondAlerts.book.size, raised.length);
      const again = await run(dataDir, secondAlerts.book, false, spoofRaised);
      assert.ok(spoofRaised(again), 'the restarted worker raised the spoofing alert again');
      // Surveillance read the replay in the market shards' gateway streams; the gateway was handed none of it.
      assert.equal(again.marketRecords, 0, 'the gateway was handed records the replay regenerated');
      assert.ok(again.every((a) => raised.some((r) => r.id === a.id)), 'nothing new from a replay');
      assert.equal(secondAlerts.book.size, raised.length);
      assert.equal(secondAlerts.book.duplicates, again.length);
      assert.equal((await secondAlerts.book.get(spoof.id))!.status, AlertStatus.ACKNOWLEDGED);
      assert.equal((await secondAlerts.book.get(wash.id))!.status, AlertStatus.ESCALATED);
      assert.deepEqual((await secondAlerts.book.get(spoof.id))!.alert, spoof);
    } finally {
      await secondAlerts.close();
    }
  }));

test('perpx-restore alert reproduces a stored alert from the journal with the stored owner links; a tampered one exits 3, an unknown id 2', () =>
  withDirs(async (dataDir, alertDir) => {
    const records = await openDurableAlerts(alertDir);
    const raised = await run(dataDir, records.book, true, (xs) => xs.some((a) => a.detector === DetectorId.SPOOFING) && xs.some((a) => a.detector === DetectorId.WASH_LINKED));
    for (const [accountId, ownerId] of links) await records.owners.set({ accountId, ownerId, operator: 'op1', atUs: 1, note: 'one owner' });
    await records.close();
    const spoof = raised.find((a) => a.detector === DetectorId.SPOOFING)!;
    const wash = raised.find((a) => a.detector === DetectorId.WASH_LINKED)!;

    for (const a of [spoof, wash]) {
      const r = await tool('alert', a.id, '--data', dataDir, '--alerts', alertDir, '--json');
      assert.equal(r.code, EXIT.OK, r.err + r.out);
      assert.deepEqual(JSON.parse(r.out), { id: a.id, detector: a.detector, market: a.marketId, shard: `market ${a.stream - 1}`, fromSeq: a.fromSeq, toSeq: a.toSeq, links: 2, linksAs: 'as-they-were', reproduced: true, differs: [] });
    }
    assert.match((await tool('alert', spoof.id, '--data', dataDir, '--alerts', alertDir)).out, /alert: reproduced from the journal/);

    // An alert whose stored figures the journal does not bear out.
    const store = await RocksStore.open(alertDir);
    await store.write([{ type: 'put', key: alertsKey(alertKey(spoof.id)), value: encodeValue({ ...spoof, score: spoof.score - 1 }) }], true);
    await store.close();
    const bad = await tool('alert', spoof.id, '--data', dataDir, '--alerts', alertDir, '--json');
    assert.equal(bad.code, EXIT.CORRUPT, bad.err + bad.out);
    assert.deepEqual(JSON.parse(bad.out).differs, ['score']);

    assert.equal((await tool('alert', 'spoofing:9:9:1:1', '--data', dataDir, '--alerts', alertDir)).code, EXIT.USAGE);
    assert.equal((await tool('alert', '--data', dataDir, '--alerts', alertDir)).code, EXIT.USAGE);
    assert.equal((await tool('alert', spoof.id, '--data', dataDir, '--alerts', join(alertDir, 'none'))).code, EXIT.NO_DATA);
    assert.match((await tool('alert', '--help')).out, /usage: perpx-restore alert ID/);
  }));

test('an alert on links an operator later removed still replays: perpx-restore alert gives the links as they were during its episode', () =>
  withDirs(async (dataDir, alertDir) => {
    const records = await openDurableAlerts(alertDir);
    // Declared (stored, with the time they took effect) before the trades, as the operator HTTP does, and
    // given to the worker as run() does.
    for (const [accountId, ownerId] of links) await records.owners.set({ accountId, ownerId, operator: 'op1', atUs: T0, note: 'one owner' });
    const raised = await run(dataDir, records.book, true, (xs) => xs.some((a) => a.detector === DetectorId.WASH_LINKED));
    const wash = raised.find((a) => a.detector === DetectorId.WASH_LINKED)!;
    // An hour later the operator removes one account's link, and moves the other to another owner.
    await records.owners.set({ accountId: links[0]![0], ownerId: 0, operator: 'op2', atUs: T0 + 3_600_000_000, note: 'KYC case closed' });
    await records.owners.set({ accountId: links[1]![0], ownerId: 77, operator: 'op2', atUs: T0 + 3_600_000_000, note: 'another group' });
    assert.deepEqual(records.owners.pairs(), [[links[1]![0], 77]], 'in force now: no link between the two');
    await records.close();

    const r = await tool('alert', wash.id, '--data', dataDir, '--alerts', alertDir, '--json');
    assert.equal(r.code, EXIT.OK, r.err + r.out);
    assert.deepEqual(JSON.parse(r.out), { id: wash.id, detector: wash.detector, market: wash.marketId, shard: `market ${wash.stream - 1}`, fromSeq: wash.fromSeq, toSeq: wash.toSeq, links: 4, linksAs: 'as-they-were', reproduced: true, differs: [] });
    // With the links in force now the journal does not bear it out (what the replay was given before the owner log).
    const d = await Durability.open({ dir: dataDir, log: quiet }, topology, config);
    assert.deepEqual(replayAlert({ topology, riskMarkets }, d.logs[wash.stream - 1]!, wash, { owners: [[links[1]![0], 77]] }), []);
    // A link declared after the episode does not reach back into it.
    assert.deepEqual(replayAlert({ topology, riskMarkets }, d.logs[wash.stream - 1]!, wash, { ownerChanges: links.map(([accountId, ownerId]) => ({ accountId, ownerId, atUs: wash.toUs + 120_000_000 })) }), []);
  }));
