// npm run bench [-- <suite>... [--json] [--quick] [--list] [--help] [-- suite args]]
// Runs the named suites (all of them when none is named), one after another in this process. Options
// after a second `--` go to the suites (each suite's header comment lists its own).

import { readdirSync } from 'node:fs';
import { benchEnv, printResults, SuiteOptionError, type Suite } from './harness.js';

const suitesDir = new URL('./suites/', import.meta.url);
const available = readdirSync(suitesDir)
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3))
  .sort();

const argv = process.argv.slice(2);
const dashdash = argv.indexOf('--');
const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
const args = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
const json = own.includes('--json');
const quick = own.includes('--quick') || process.env.CI === 'true';
const named = own.filter((a) => !a.startsWith('--'));
const OWN_OPTIONS: Record<string, string> = {
  '--json': 'one JSON object per result instead of the table',
  '--quick': 'shorter runs (also when CI=true)',
  '--list': 'list the suites with a line about each, and exit',
  '--help': 'this text',
};
const USAGE = [
  'usage: node dist/bench/run.js [<suite>...] [options] [-- suite options]',
  '',
  ...Object.entries(OWN_OPTIONS).map(([o, h]) => `  ${o.padEnd(10)} ${h}`),
  '',
  `suites (all when none is named): ${available.join(', ')}`,
  "suite options (after --) are described in each suite's header, bench/suites/<suite>.ts; e.g. -- --seconds 3 --wait park",
].join('\n');

if (own.includes('--help') || own.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const badOptions = own.filter((a) => a.startsWith('-') && !(a in OWN_OPTIONS));
if (badOptions.length) {
  console.error(`bench: unknown option(s) ${badOptions.join(', ')} (suite options go after --); see --help`);
  process.exit(2);
}

if (own.includes('--list')) {
  for (const name of available) {
    const mod = (await import(new URL(`${name}.js`, suitesDir).href)) as { default: Suite };
    console.log(`${name.padEnd(16)} ${mod.default.description}`);
  }
  process.exit(0);
}

const unknown = named.filter((n) => !available.includes(n));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

const env = benchEnv();
if (!json) console.log(`perpx bench · node ${env.node} · ${env.cpu} × ${env.cores} · ${env.memGiB} GiB · commit ${env.commit} · ${env.date}`);
for (const name of named.length ? named : available) {
  const mod = (await import(new URL(`${name}.js`, suitesDir).href)) as { default: Suite };
  let results;
  try {
    results = await mod.default.run({ json, quick, args });
  } catch (e) {
    if (!(e instanceof SuiteOptionError)) throw e;
    console.error(`bench ${name}: ${e.message}; see bench/suites/${name}.ts for its options`);
    process.exit(2);
  }
  printResults(results, json);
}
