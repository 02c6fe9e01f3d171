// Surveillance engine, two builds on the same alerts: records injection runs (the surveillance-recall
// harness: simulated flow seeds 1 and 2, and the Bitfinex L3 flow, with every kind of episode and
// look-alike injected), replays each recording through the engine of an older build and of a newer one
// (their dist/ directories), and checks that both raise the same alerts, field for field and in the same
// order, the same integrity reports and the same state hash. Exit code 1 when they differ. The check
// behind a speed change that must not change what the engine finds.
//
//   node tools/surveillance-replay-diff.mjs <old dist> <new dist> [simulated commands=300000]

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [base, cur] = process.argv.slice(2, 4).map((p) => pathToFileURL(resolve(p)).href);
if (!base || !cur) throw new Error('usage: node tools/surveillance-replay-diff.mjs <old dist> <new dist> [commands]');
const commands = Number(process.argv[4] ?? 300000);
const { runInjection } = await import(cur + '/bench/lib/surveillance/injection-harness.js');
const OldE = (await import(base + '/risk/surveillance/surveillance-engine.js')).SurveillanceEngine;
const NewE = (await import(cur + '/risk/surveillance/surveillance-engine.js')).SurveillanceEngine;
const runs = [
  { flow: 'simulated', seed: 1, perSize: 10, lookAlikes: 10, commands: commands },
  { flow: 'simulated', seed: 2, perSize: 10, lookAlikes: 10, commands: commands },
  { flow: 'bitfinex', seed: 1, perSize: 2, lookAlikes: 4 },
];
let bad = 0;
const ser = (a) => JSON.stringify(a, (k, v) => typeof v === 'bigint' ? v.toString() + 'n' : v);
for (const o of runs) {
  const r = runInjection({ ...o, record: true });
  const out = {};
  for (const [k, E] of [['old', OldE], ['new', NewE]]) {
    const alerts = []; const integ = [];
    const e = new E((a) => alerts.push(ser(a)), {}, (x) => integ.push(ser(x)));
    const c0 = process.cpuUsage();
    r.driver.replayInto(e);
    const c = process.cpuUsage(c0);
    out[k] = { alerts, integ, hash: e.stateHash().toString(16), cpuMs: Math.round((c.user + c.system) / 1000), handled: e.handled };
  }
  const same = out.old.alerts.length === out.new.alerts.length && out.old.alerts.every((a, i) => a === out.new.alerts[i]) && out.old.hash === out.new.hash && ser(out.old.integ) === ser(out.new.integ);
  if (!same) bad++;
  console.log(o.flow, o.seed, 'records', out.new.handled, 'alerts', out.old.alerts.length, out.new.alerts.length, 'hash', out.old.hash, out.new.hash, 'live alerts', r.alerts, 'cpuMs old/new', out.old.cpuMs, out.new.cpuMs, same ? 'SAME' : 'DIFFERENT');
  if (!same) { for (let i = 0; i < Math.max(out.old.alerts.length, out.new.alerts.length); i++) if (out.old.alerts[i] !== out.new.alerts[i]) { console.log('first diff at', i, '\n', out.old.alerts[i]?.slice(0, 400), '\n', out.new.alerts[i]?.slice(0, 400)); break; } }
}
process.exit(bad ? 1 : 0);
