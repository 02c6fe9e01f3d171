// npm run crash -- [--runs N] [--seed S] [--verbose]: the crash harness (crash-harness.ts) for any number
// of kill -9 cycles; prints one line per cycle with --verbose and a one-line summary last. Exit code 0
// when nothing acknowledged was lost, nothing applied twice, every recovery matched a clean replay and
// the risk invariants held; 1 otherwise.

import { parseArgs } from 'node:util';
import { randomInt } from 'node:crypto';
import { runCrashCycles, summaryLine } from './crash-harness.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, seed: { type: 'string' }, verbose: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : randomInt(0, 2 ** 31 - 1);
if (!Number.isInteger(runs) || runs < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: npm run crash -- [--runs N] [--seed S] [--verbose]');
  process.exit(2);
}
console.log(`crash: seed ${seed} (replay: npm run crash -- --runs ${runs} --seed ${seed})`);
const s = await runCrashCycles({ runs, seed, log: values.verbose ? (l) => console.log(l) : undefined });
for (const v of s.invariantViolations) console.log(`invariant: ${v}`);
console.log(summaryLine(s));
process.exit(s.lost === 0 && s.appliedTwice === 0 && s.recoveryMismatches === 0 && s.invariantViolations.length === 0 ? 0 : 1);
