import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlertActionError, AlertBook, AlertStatus } from '../../exchange/surveillance/alert-book.js';
import { MemoryAlertStorage, actionKey, alertKey } from '../../exchange/surveillance/alert-storage.js';
import { prometheusText, surveillanceMetrics } from '../../exchange/surveillance/alert-metrics.js';
import { DetectorId } from '../../risk/surveillance/alert.js';
import { sampleAlerts } from './sample-alerts.js';

test('an alert is stored before it is listed, and the same alert again is a duplicate that changes nothing', async () => {
  const storage = new MemoryAlertStorage();
  const book = new AlertBook(storage);
  const [a] = sampleAlerts();
  assert.equal(await book.ingest(a!), true);
  assert.equal(storage.size, 1);
  assert.equal(await book.ingest(structuredClone(a!)), false);
  assert.equal(storage.size, 1);
  assert.equal(book.size, 1);
  assert.equal(book.duplicates, 1);
});

test('listing filters by detector, market, account, time and score, newest first', async () => {
  const book = new AlertBook(new MemoryAlertStorage());
  const alerts = sampleAlerts();
  for (const a of alerts) await book.ingest(a);
  const all = book.list();
  assert.equal(all.total, alerts.length);
  for (let i = 1; i < all.alerts.length; i++) assert.ok(all.alerts[i - 1]!.toUs >= all.alerts[i]!.toUs);
  const spoof = book.list({ detector: DetectorId.SPOOFING });
  assert.ok(spoof.total >= 1 && spoof.alerts.every((x) => x.detector === DetectorId.SPOOFING));
  const acct = alerts[0]!.accounts[0]!;
  assert.ok(book.list({ accountId: acct }).alerts.every((x) => x.accounts.includes(acct)));
  assert.equal(book.list({ marketId: 99 }).total, 0);
  assert.equal(book.list({ minScore: 10_001 }).total, 0);
  assert.equal(book.list({ fromUs: Math.max(...alerts.map((x) => x.toUs)) + 1 }).total, 0);
  assert.equal(book.list({ limit: 1 }).alerts.length, 1);
});

test('acknowledging and escalating are audited in order with the operator and the note, and survive a reload', async () => {
  const storage = new MemoryAlertStorage();
  const book = new AlertBook(storage);
  const [a] = sampleAlerts();
  await book.ingest(a!);
  await book.act(a!.id, 'acknowledge', 'ops-ana', 'looked at it: a new market maker, watching', 1_000);
  await book.act(a!.id, 'escalate', 'ops-ben', 'pattern repeats: to compliance', 2_000);
  const c = (await book.get(a!.id))!;
  assert.equal(c.status, AlertStatus.ESCALATED);
  assert.deepEqual(c.actions.map((x) => [x.n, x.kind, x.operator]), [
    [1, 'acknowledge', 'ops-ana'],
    [2, 'escalate', 'ops-ben'],
  ]);
  const reloaded = new AlertBook(storage);
  await reloaded.load();
  assert.deepEqual(await reloaded.get(a!.id), c);
  // Action keys sort in action order (a prefix scan of one alert is its audit trail).
  assert.ok(actionKey(a!.id, 9) < actionKey(a!.id, 10));
  assert.ok(alertKey(a!.id).startsWith('surv/alert/'));
});

test('an action without a note, or on an unknown alert, is refused and stores nothing', async () => {
  const storage = new MemoryAlertStorage();
  const book = new AlertBook(storage);
  const [a] = sampleAlerts();
  await book.ingest(a!);
  await assert.rejects(book.act(a!.id, 'acknowledge', 'ops', '   ', 1), (e: unknown) => e instanceof AlertActionError && e.code === 'BAD_NOTE');
  await assert.rejects(book.act('nope', 'acknowledge', 'ops', 'x', 1), (e: unknown) => e instanceof AlertActionError && e.code === 'NOT_FOUND');
  assert.equal(storage.size, 1);
  assert.equal((await book.get(a!.id))!.status, AlertStatus.OPEN);
});

test('the metrics count alerts per detector and per status in the Prometheus text format', async () => {
  const book = new AlertBook(new MemoryAlertStorage());
  const alerts = sampleAlerts();
  for (const a of alerts) await book.ingest(a);
  await book.act(alerts[0]!.id, 'acknowledge', 'ops', 'ok', 1);
  const text = prometheusText(surveillanceMetrics(book));
  assert.match(text, /# TYPE perpx_surveillance_alerts_total counter/);
  const spoofing = alerts.filter((a) => a.detector === DetectorId.SPOOFING).length;
  assert.match(text, new RegExp(`perpx_surveillance_alerts_total\\{detector="spoofing"\\} ${spoofing}\\n`));
  assert.match(text, /perpx_surveillance_alerts\{status="acknowledged"\} 1\n/);
  assert.match(text, new RegExp(`perpx_surveillance_alerts\\{status="open"\\} ${alerts.length - 1}\\n`));
});

test('the book keeps what a list shows; an alert\'s evidence is read back from the storage when one is asked for', async () => {
  class CountingStorage extends MemoryAlertStorage {
    reads = 0;
    override async getAlert(id: string) {
      this.reads++;
      return super.getAlert(id);
    }
  }
  const storage = new CountingStorage();
  const book = new AlertBook(storage);
  const alerts = sampleAlerts();
  const kept = structuredClone(alerts);
  for (const a of alerts) await book.ingest(a);
  // The objects ingested are not held: emptying their evidence changes nothing the book answers.
  for (const a of alerts) {
    a.orders.length = 0;
    a.trades.length = 0;
  }
  assert.equal(book.list().total, alerts.length);
  assert.equal(storage.reads, 0, 'a list reads nothing back');
  for (const a of kept) assert.deepEqual((await book.get(a.id))!.alert, a);
  assert.equal(storage.reads, kept.length);
  assert.ok(kept.every((a) => a.orders.length + a.trades.length > 0));
  assert.equal(await book.get('no-such-alert'), undefined);
});

test('two actions on one alert at once are both stored, numbered in the order made', async () => {
  const book = new AlertBook(new MemoryAlertStorage());
  const [a] = sampleAlerts();
  await book.ingest(a!);
  await Promise.all([book.act(a!.id, 'acknowledge', 'ops-ana', 'seen', 1), book.act(a!.id, 'escalate', 'ops-ben', 'to compliance', 2)]);
  const c = (await book.get(a!.id))!;
  assert.deepEqual(c.actions.map((x) => [x.n, x.kind, x.operator]), [
    [1, 'acknowledge', 'ops-ana'],
    [2, 'escalate', 'ops-ben'],
  ]);
  assert.equal(c.status, AlertStatus.ESCALATED);
});
