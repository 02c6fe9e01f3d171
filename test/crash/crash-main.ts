// npm run crash -- [--runs N] [--seed S] [--verbose]: the crash harness (crash-harness.ts: npm start's
// exchange driven through its gateway and operator HTTP) for any number of kill -9 cycles; prints one line
// per cycle with --verbose and a one-line summary last. Exit code 0
// when nothing acknowledged was lost, nothing applied twice, every recovery matched a clean replay and
// the risk invariants held; 1 otherwise.

import { parseArgs } from 'node:util';
import { randomInt } from 'node:crypto';
import { runCrashCycles, summaryLine } from './crash-harness.js';

const USAGE = `usage: npm run crash -- [--runs N] [--seed S] [--verbose]
  --runs N     kill -9 cycles, a whole number from 1 (default 20)
  --seed S     seed of the load and the kill points, a whole number (default: a random one, printed)
  --verbose    one line per cycle
  --help       this text
Prints a one-line summary last; exit 0 when nothing acknowledged was lost or applied twice, 1 otherwise, 2 on bad arguments.`;

function refuse(why: string): never {
  console.error(`crash: ${why}\n${USAGE}`);
  process.exit(2);
}

let values: { runs: string; seed?: string; verbose: boolean; help: boolean };
try {
  // `--runs -3` as `--runs=-3`: parseArgs would call the value ambiguous instead of out of range.
  const args: string[] = [];
  for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i]!;
    const next = process.argv[i + 1];
    if (/^--(runs|seed)$/.test(a) && next !== undefined && /^-\d/.test(next)) args.push(`${a}=${next}`), i++;
    else args.push(a);
  }
  values = parseArgs({ args, options: { runs: { type: 'string', default: '20' }, seed: { type: 'string' }, verbose: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } }).values as typeof values;
} catch (e) {
  refuse((e as Error).message.split('\n')[0]!);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const runs = /^\d{1,9}$/.test(values.runs) ? Number(values.runs) : NaN;
if (!(runs >= 1)) refuse(`--runs ${values.runs}: a whole number from 1`);
const seed = values.seed === undefined ? randomInt(0, 2 ** 31 - 1) : /^\d{1,15}$/.test(values.seed) ? Number(values.seed) : refuse(`--seed ${values.seed}: a whole number`);
console.log(`crash: seed ${seed} (replay: npm run crash -- --runs ${runs} --seed ${seed})`);
const s = await runCrashCycles({ runs, seed, log: values.verbose ? (l) => console.log(l) : undefined });
for (const p of s.problems) console.log(`problem: ${p}`);
for (const v of s.invariantViolations) console.log(`invariant: ${v}`);
console.log(summaryLine(s));
process.exit(s.lost === 0 && s.appliedTwice === 0 && s.recoveryMismatches === 0 && s.walletMismatches === 0 && s.invariantViolations.length === 0 ? 0 : 1);
