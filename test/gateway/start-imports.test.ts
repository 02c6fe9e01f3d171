// What npm start loads before the shards start, read from the compiled modules' static imports (what node
// loads, type imports gone). gateway/main.ts opens the data directory and starts the shard workers with
// only what that needs, and imports serve.ts (the operator side, the trader gateway, the bus, the oracle,
// the demo) dynamically once they are starting: a static import of any of it in main.ts's graph would put
// its whole load (about two seconds on a loaded machine) before a restart's recovery again. serve.ts in
// turn loads the packages of what a start may not run (the oracle's HTTP client, the MQTT bus, the stress
// scanner's pool, pretty logs) only when it runs them.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../', import.meta.url));
const STATIC = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

/** Every module of ours a module loads statically (paths relative to dist/), and the packages they import. */
function staticGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string): void => {
    const rel = relative(dist, file);
    if (modules.has(rel)) return;
    modules.add(rel);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        assert.ok(existsSync(target), `${rel} imports ${spec}, which is not there`);
        walk(target);
      } else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  walk(resolve(dist, entry));
  return { modules, packages };
}

const intersect = (a: ReadonlySet<string>, b: readonly string[]): string[] => b.filter((x) => a.has(x));

test('npm start opens the data directory and starts the shards before anything of the gateway is loaded', () => {
  const g = staticGraph('gateway/main.js');
  // What it needs is there (the walk sees the graph at all).
  for (const m of ['exchange/durability.js', 'exchange/threaded-exchange.js', 'gateway/start-options.js']) assert.ok(g.modules.has(m), `main.js reaches ${m}`);
  assert.deepEqual(intersect(g.packages, ['undici', 'ws', 'aedes', 'mqtt', 'prom-client', 'piscina', 'pino-pretty']), []);
  const gateway = [...g.modules].filter((m) => /^gateway\/(serve\.js|gateway\.js|server\/|operator\/(operator-side|server|metrics)\.js|bus\/|market-data\/|oracle\/oracle\.js|demo\/bots\.js)/.test(m));
  assert.deepEqual(gateway, []);
});

test('the gateway half loads the oracle, the bus, the stress scanner and pretty logs only when a start runs them', () => {
  const g = staticGraph('gateway/serve.js');
  assert.ok(g.packages.has('ws') && g.modules.has('gateway/operator/operator-side.js'), 'serve.js reaches the trader and operator servers');
  assert.deepEqual(intersect(g.packages, ['undici', 'aedes', 'mqtt', 'piscina', 'pino-pretty']), []);
  assert.deepEqual(intersect(g.modules, ['gateway/oracle/oracle.js', 'gateway/bus/market-data-bus.js', 'gateway/demo/bots.js', 'risk/stress/shock-scanner.js']), []);
});
