// The layers read top-down: engine/ and risk/ are the state machines and know nothing of persistence, the
// gateway, the network or the code that assembles them; persistence/ knows the state machines but not the
// gateway; exchange/ assembles engine, risk and persistence; gateway/ sits on top. This test reads the
// import lines of every source file and fails on an import that points up.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/paths.js';

const root = repoRoot();

/** Folders a layer may not import from. */
const FORBIDDEN: Record<string, readonly string[]> = {
  engine: ['exchange', 'gateway', 'persistence', 'bench', 'test'],
  risk: ['exchange', 'gateway', 'persistence', 'bench', 'test'],
  persistence: ['exchange', 'gateway', 'bench', 'test'],
  exchange: ['gateway', 'bench', 'test'],
  gateway: ['bench', 'test'],
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

test('no source file imports from a layer above its own', () => {
  const violations: string[] = [];
  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    let files: string[];
    try {
      files = sources(join(root, layer));
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2]!;
        if (!spec.startsWith('.')) continue;
        const target = relative(root, resolve(dirname(file), spec)).split(/[\\/]/)[0]!;
        if (forbidden.includes(target)) violations.push(`${relative(root, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
