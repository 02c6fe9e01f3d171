// The surveillance engine's alerts on fixed seeded streams, pinned byte for byte: a speed change to the
// engine must not change a single alert (id, evidence, seq range, trades, order) nor the state it ends in.
// The streams are the injection harness's (a real market shard; every kind of episode and look-alike
// injected), on the simulated flow and on the Bitfinex L3 flow, with fixed seeds (not testSeed: the digest
// is of these exact runs). When a change means to alter what the engine finds, the new digests go here
// with the reason in the commit message.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { runInjection, type HarnessOptions } from '../../../bench/lib/surveillance/injection-harness.js';
import { SurveillanceEngine } from '../../../risk/surveillance/surveillance-engine.js';

function serialise(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Alerts raised live, the integrity reports and alerts of a replay through a fresh engine, and both state hashes. */
function digestOf(o: HarnessOptions): { alerts: number; byDetector: Record<string, number>; digest: string } {
  const r = runInjection({ ...o, record: true });
  const replayed: string[] = [];
  const integrity: string[] = [];
  // The complete days' reports (the day-so-far ones each minute came later, and are tested in integrity.test.ts).
  const fresh = new SurveillanceEngine((a) => replayed.push(serialise(a)), {}, (x) => x.complete && integrity.push(serialise(x)));
  r.driver.replayInto(fresh);
  const live = r.alertList.map(serialise);
  assert.deepEqual(replayed, live, 'a replay raises the live alerts');
  const h = createHash('sha256');
  for (const a of live) h.update(a).update('\n');
  for (const x of integrity) h.update(x).update('\n');
  h.update(r.driver.engine.stateHash().toString(16)).update(fresh.stateHash().toString(16));
  const byDetector: Record<string, number> = {};
  for (const a of r.alertList) byDetector[a.detector] = (byDetector[a.detector] ?? 0) + 1;
  return { alerts: live.length, byDetector, digest: h.digest('hex') };
}

test('simulated flow, seed 7: the same alerts, byte for byte', () => {
  const d = digestOf({ flow: 'simulated', seed: 7, perSize: 3, lookAlikes: 3, commands: 120_000 });
  console.log(`# ${serialise(d)}`);
  assert.deepEqual(d, PINNED.simulated);
});

test('Bitfinex L3 flow, seed 3: the same alerts, byte for byte', () => {
  const d = digestOf({ flow: 'bitfinex', seed: 3, perSize: 1, lookAlikes: 2 });
  console.log(`# ${serialise(d)}`);
  assert.deepEqual(d, PINNED.bitfinex);
});

const PINNED = {
  simulated: {
    alerts: 113,
    byDetector: { 'momentum-ignition': 9, layering: 9, 'fast-cancels': 18, 'self-trade-attempts': 9, 'quote-stuffing': 9, 'order-to-trade': 15, 'front-running': 8, spoofing: 8, 'wash-linked': 17, 'wash-circular': 11 },
    digest: '1375a48055807e24943256a0f189d04720055cbecf2e8105ec7ed86f025de345',
  },
  bitfinex: {
    alerts: 38,
    byDetector: { 'momentum-ignition': 3, 'self-trade-attempts': 3, 'fast-cancels': 6, 'quote-stuffing': 3, 'order-to-trade': 5, 'wash-linked': 6, layering: 2, spoofing: 3, 'wash-circular': 4, 'front-running': 3 },
    digest: 'a4f1080090b251d59bca566b11f20957cfdf109a15fd76b06e4e4b05e02a1ad8',
  },
};
