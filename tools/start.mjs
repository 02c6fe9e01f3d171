// npm start's launcher: compiles the runtime (engine, risk, persistence, exchange, gateway) from
// TypeScript with esbuild into .run/ (one output file per source, the same layout as the sources, so
// every worker script sits where its host's `new URL('./x.js', import.meta.url)` looks), then runs
// gateway/main.js in this process. esbuild only strips types (about half a second for the whole tree,
// every start: nothing to go stale); type checking stays with `npm run build` and `npm test` (tsc).
// It says what it does from the first moment, so a first start is never silent.

import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.run');
const RUNTIME = ['engine', 'risk', 'persistence', 'exchange', 'gateway'];

function sources(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found.push(...sources(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(p);
  }
  return found;
}

const help = process.argv.includes('--help') || process.argv.includes('-h');
const started = performance.now();
const files = RUNTIME.flatMap((d) => sources(join(root, d)));
if (!help) process.stderr.write(`perpx: compiling ${files.length} runtime files with esbuild into ${relative(process.cwd(), out) || '.'}/ … `);
try {
  await build({ entryPoints: files, outdir: out, outbase: root, format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'silent' });
} catch (e) {
  process.stderr.write('failed\n');
  for (const err of e.errors ?? [e]) process.stderr.write(`${err.location ? `${err.location.file}:${err.location.line}: ` : ''}${err.text ?? err.message}\n`);
  process.exit(1);
}
if (!help) process.stderr.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
await import(pathToFileURL(join(out, 'gateway', 'main.js')).href);
