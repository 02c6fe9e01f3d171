// The options of `npm start`, in one table: each with its default, what it accepts, and the check that
// enforces it. A bad value is refused with the option's name and what it accepts (main.ts exits 2);
// nothing is silently wrapped, truncated or defaulted.

import { parseArgs } from 'node:util';
import type { SnapshotPolicy } from '../exchange/snapshots/snapshot-policy.js';
import { WAIT_CHOICES, type WaitChoice } from '../exchange/topology.js';
import { DEMO_SWING_PERMILLE } from './demo/demo-setup.js';

export interface StartOptions {
  /** Run this long, then stop (0: until Ctrl-C). */
  readonly seconds: number;
  /** Simulated commands offered per second. */
  readonly rate: number;
  readonly riskShards: number;
  /** Seed of the simulated order flow (a u32: the generator's whole state). */
  readonly seed: number;
  /** Seconds between what-if stress scans (0: none). */
  readonly stressEvery: number;
  /** Seconds between the demo's market swings (0: none). */
  readonly swingEvery: number;
  /** auto: the exchange's default for this machine (exchange/topology.ts defaultWait). */
  readonly wait: WaitChoice;
  /** Oracle configuration file: index prices from real venues instead of the simulated market (docs/ORACLE.md). */
  readonly oracle: string | undefined;
  /** Data directory: every shard's journal, recovered from on start (docs/ARCHITECTURE.md, "Persistence"). */
  readonly data: string;
  /** Keep nothing: no journal, no recovery. */
  readonly inMemory: boolean;
  /** A shard's snapshot after this many of its journal records (0: no snapshots, recovery replays everything). */
  readonly snapshotRecords: number;
  /** …or after this many seconds with new records. */
  readonly snapshotSeconds: number;
  /** Snapshots kept per shard; the journal before the oldest is pruned. */
  readonly snapshotKeep: number;
  /** Keep every point of this much of a shard's own time restorable, µs (undefined: only --snapshot-keep counts). */
  readonly retainWindowUs: number | undefined;
  /** Keep every position of a shard's last this many journal records restorable (undefined: only --snapshot-keep counts). */
  readonly retainRecords: number | undefined;
  /** Port of the trader gateway (WebSocket); 0: any free port. */
  readonly port: number;
  /** Port of the operator HTTP server (health, readiness, metrics, operator calls); 0: any free port. */
  readonly operatorPort: number;
  /** The MQTT market-data bus: a broker URL, "embedded" (a broker of its own on 127.0.0.1:18830), or off. */
  readonly mqtt: string | undefined;
  /** The embedded broker's port. */
  readonly mqttPort: number;
  /** Operator tokens file (else generated under the data directory on a first start). */
  readonly operators: string | undefined;
  /** Simulated market makers and takers, and the live terminal view. */
  readonly demo: boolean;
  /** Run the surveillance worker and mount its operator routes. */
  readonly surveillance: boolean;
  /** Pretty log lines instead of JSON (undefined: pretty when stdout is a terminal). */
  readonly pretty: boolean | undefined;
}

/**
 * Risk shards a machine can usefully run, each a thread with rings to every market shard: past the core
 * count they only contend, and each costs ring memory; 64 is far past any machine this runs on today.
 */
export const MAX_RISK_SHARDS = 64;

interface Spec {
  readonly name: string;
  readonly arg: string;
  /** undefined: the option is off unless given. */
  readonly default: string | undefined;
  /** What --help shows as the default when it is not a fixed value (computed at start). */
  readonly defaultHelp?: string;
  readonly help: string;
  /** What a valid value looks like, for the error message. */
  readonly accepts: string;
  readonly parse: (raw: string) => number | string | undefined;
}

/** A whole number in [min, max] written in decimal digits only (no sign, exponent, fraction or blank). */
function whole(min: number, max: number): (raw: string) => number | undefined {
  return (raw) => {
    if (!/^\d{1,16}$/.test(raw)) return undefined;
    const v = Number(raw);
    return v >= min && v <= max ? v : undefined;
  };
}

const DURATION_UNITS_US: Readonly<Record<string, number>> = { s: 1_000_000, m: 60_000_000, h: 3_600_000_000, d: 86_400_000_000 };

/** A duration written as a whole number and a unit (s, m, h or d: `24h`), in µs, within [1 s, maxDays]. */
function duration(maxDays: number): (raw: string) => number | undefined {
  return (raw) => {
    const m = /^(\d{1,9})([smhd])$/.exec(raw);
    if (!m) return undefined;
    const us = Number(m[1]) * DURATION_UNITS_US[m[2]!]!;
    return us >= 1_000_000 && us <= maxDays * DURATION_UNITS_US.d! ? us : undefined;
  };
}

const SPECS: readonly Spec[] = [
  { name: 'seconds', arg: 'N', default: '0', help: 'stop after N seconds (0: run until Ctrl-C)', accepts: 'a whole number of seconds from 0 to 31536000', parse: whole(0, 31_536_000) },
  { name: 'rate', arg: 'ORDERS_PER_SECOND', default: '2000', help: 'orders and quote amends the demo bots offer per second (with --demo; a taker holding off a market before it turns round lets its turn pass)', accepts: 'a whole number from 0 to 10000000', parse: whole(0, 10_000_000) },
  { name: 'risk-shards', arg: 'R', default: '1', help: 'risk shards (one worker thread each)', accepts: `a whole number from 1 to ${MAX_RISK_SHARDS}`, parse: whole(1, MAX_RISK_SHARDS) },
  { name: 'seed', arg: 'N', default: '1', help: 'seed of the simulated order flow', accepts: 'a whole number from 0 to 4294967295 (2^32 - 1)', parse: whole(0, 2 ** 32 - 1) },
  { name: 'stress-every', arg: 'S', default: '10', help: 'seconds between what-if stress scans (0: none)', accepts: 'a whole number of seconds from 0 to 86400', parse: whole(0, 86_400) },
  { name: 'swing-every', arg: 'S', default: '10', help: `seconds between the demo's ${DEMO_SWING_PERMILLE / 10}% index swings, a move then its return on one market, before which the makers pull their quotes, so thin accounts are liquidated and go to ADL (the first after 5 s; 0: none)`, accepts: 'a whole number of seconds from 0 to 86400', parse: whole(0, 86_400) },
  {
    name: 'wait',
    arg: WAIT_CHOICES.join('|'),
    default: 'auto',
    help: 'how idle shard threads wait (auto: spin-then-park while busy threads fit the cores, else park)',
    accepts: `one of ${WAIT_CHOICES.join(', ')}`,
    parse: (raw) => ((WAIT_CHOICES as readonly string[]).includes(raw) ? raw : undefined),
  },
  {
    name: 'oracle',
    arg: 'FILE',
    default: undefined,
    help: 'index prices from the venues this file names instead of the simulated market (docs/ORACLE.md)',
    accepts: 'the path of an oracle configuration file (config/oracle.example.json)',
    parse: (raw) => (raw.length > 0 ? raw : undefined),
  },
  {
    name: 'data',
    arg: 'DIR',
    default: './data',
    help: 'data directory: every shard journals its inputs there and recovers from it on start',
    accepts: 'a directory path (created when absent)',
    parse: (raw) => (raw.length > 0 ? raw : undefined),
  },
  { name: 'snapshot-records', arg: 'N', default: '1000000', help: "snapshot a shard every N of its journal records (0: never; recovery replays the whole journal)", accepts: 'a whole number from 0 to 1000000000', parse: whole(0, 1_000_000_000) },
  { name: 'snapshot-seconds', arg: 'S', default: '60', help: 'or every S seconds when it took records', accepts: 'a whole number of seconds from 1 to 86400', parse: whole(1, 86_400) },
  { name: 'snapshot-keep', arg: 'K', default: '3', help: 'snapshots kept per shard; the journal before the oldest kept one is pruned', accepts: 'a whole number from 1 to 1000', parse: whole(1, 1_000) },
  {
    name: 'retain-window',
    arg: 'DURATION',
    default: undefined,
    defaultHelp: 'none: only --snapshot-keep counts',
    help: "also keep every point of the last DURATION of each shard's own time restorable (perpx-restore --to-time/--to-seq): the newest snapshot at or before its start and the journal after it are never pruned",
    accepts: 'a duration from 1s to 3650d: a whole number and s, m, h or d (e.g. 90m, 24h, 7d)',
    parse: duration(3_650),
  },
  {
    name: 'retain-records',
    arg: 'N',
    default: undefined,
    defaultHelp: 'none: only --snapshot-keep counts',
    help: "also keep every position of each shard's last N journal records restorable (perpx-restore --to-seq/--to-time): the newest snapshot at least N records before its newest one and the journal after it are never pruned",
    accepts: 'a whole number from 1 to 1000000000000',
    parse: whole(1, 1_000_000_000_000),
  },
  { name: 'port', arg: 'PORT', default: '8080', help: 'port of the trader gateway (WebSocket, msgpack: docs/PROTOCOL.md) on 127.0.0.1', accepts: 'a port number from 0 to 65535 (0: any free port)', parse: whole(0, 65_535) },
  { name: 'operator-port', arg: 'PORT', default: '8081', help: 'port of the operator HTTP server (/healthz, /readyz, /metrics, /operator/...) on 127.0.0.1', accepts: 'a port number from 0 to 65535 (0: any free port)', parse: whole(0, 65_535) },
  {
    name: 'mqtt',
    arg: 'URL|embedded|none',
    default: undefined,
    defaultHelp: '$MQTT_URL when set, else embedded',
    help: 'the MQTT market-data bus (docs/MARKET-DATA.md): a broker URL, "embedded" for a broker of its own on 127.0.0.1 (--mqtt-port), or "none"',
    accepts: 'an mqtt://, mqtts://, ws:// or wss:// URL, embedded or none',
    parse: (raw) => (raw === 'embedded' || raw === 'none' || /^(mqtts?|wss?):\/\/\S+$/.test(raw) ? raw : undefined),
  },
  { name: 'mqtt-port', arg: 'PORT', default: '18830', help: 'port of the embedded MQTT broker on 127.0.0.1 (not 1883, which a system broker may hold)', accepts: 'a port number from 0 to 65535 (0: any free port)', parse: whole(0, 65_535) },
  {
    name: 'operators',
    arg: 'FILE',
    default: undefined,
    defaultHelp: 'DATA/operator/operators.json, generated with one admin token on a first start',
    help: 'operator tokens file',
    accepts: 'the path of a JSON file {"operators": [{"id", "token", "roles"}]}',
    parse: (raw) => (raw.length > 0 ? raw : undefined),
  },
];

/** Switches: present or absent, no value. */
const FLAGS: readonly (readonly [string, string])[] = [
  ['demo', 'simulated market makers and takers at --rate, and a live terminal view of the markets'],
  ['surveillance', 'run the market-abuse surveillance worker and its operator routes (docs/SURVEILLANCE.md)'],
  ['pretty', 'pretty log lines (default when stdout is a terminal; JSON lines otherwise)'],
  ['json-logs', 'JSON log lines even on a terminal'],
  ['in-memory', 'keep nothing: no journal, no recovery (--data is ignored)'],
];

export type ParsedStart = { readonly kind: 'run'; readonly options: StartOptions } | { readonly kind: 'help' } | { readonly kind: 'error'; readonly message: string };

/** What a refused start prints after the reason. */
export const SEE_HELP = '(npm start -- --help lists every option)';

/** Every option with its argument, default and meaning, for --help. */
export function helpText(): string {
  const rows = SPECS.map((s) => [`--${s.name} ${s.arg}`, `${s.help} (default ${s.defaultHelp ?? s.default ?? 'none'})`]);
  for (const [name, what] of FLAGS) rows.push([`--${name}`, what]);
  rows.push(['--help', 'this list']);
  const width = Math.max(...rows.map((r) => r[0]!.length));
  return ['usage: npm start -- [options]', '', ...rows.map(([flag, what]) => `  ${flag!.padEnd(width)}  ${what}`)].join('\n');
}

/**
 * `--rate -5` as `--rate=-5`: parseArgs refuses a value after a space that starts with '-' as "ambiguous"
 * without saying what the option takes; joined, it reaches the option's own check, which does. A value
 * starting with '--' stays apart (`--data --demo` is a missing value, and parseArgs says so).
 */
function joinDashValues(argv: readonly string[]): string[] {
  const valued = new Set(SPECS.map((s) => `--${s.name}`));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (valued.has(a) && next !== undefined && next.startsWith('-') && !next.startsWith('--')) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Reads `npm start`'s arguments (argv without node and the script). */
export function parseStartOptions(argv: readonly string[]): ParsedStart {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: joinDashValues(argv),
      options: {
        ...Object.fromEntries(SPECS.map((s) => [s.name, { type: 'string' as const }])),
        ...Object.fromEntries(FLAGS.map(([name]) => [name, { type: 'boolean' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    // parseArgs names the option (unknown, missing its value, or a stray argument) on its first line; a
    // missing value (`--data` last, or followed by another option) is said in the option's own terms.
    const first = (e as Error).message.split('\n')[0]!;
    const missing = /^Option '--([\w-]+)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(first);
    const spec = missing && SPECS.find((s) => s.name === missing[1]);
    return { kind: 'error', message: spec ? `--${spec.name}: needs a value (${spec.arg}); it takes ${spec.accepts}` : first };
  }
  if (values.help === true) return { kind: 'help' };
  if (values.pretty === true && values['json-logs'] === true) return { kind: 'error', message: '--pretty and --json-logs: choose one' };
  const got = new Map<string, number | string>();
  for (const s of SPECS) {
    const raw = (values[s.name] as string | undefined) ?? s.default;
    if (raw === undefined) continue;
    const v = s.parse(raw);
    if (v === undefined) return { kind: 'error', message: `--${s.name}: '${raw}' is not accepted; it takes ${s.accepts}` };
    got.set(s.name, v);
  }
  // A retention window bounds what pruning may remove, and only snapshots prune: without them the whole
  // journal stays and the window would silently do nothing, which an operator who asked for it (to bound
  // the disk, or believing it takes effect) should hear at once rather than find out from a full disk.
  const windowOption = ['retain-window', 'retain-records'].find((n) => got.has(n));
  if (got.get('snapshot-records') === 0 && windowOption !== undefined) {
    return { kind: 'error', message: `--${windowOption} with --snapshot-records 0: without snapshots nothing is pruned (the whole journal is kept, every point stays restorable), so the window would do nothing; drop --${windowOption}, or take snapshots (--snapshot-records N)` };
  }
  return {
    kind: 'run',
    options: {
      seconds: got.get('seconds') as number,
      rate: got.get('rate') as number,
      riskShards: got.get('risk-shards') as number,
      seed: got.get('seed') as number,
      stressEvery: got.get('stress-every') as number,
      swingEvery: got.get('swing-every') as number,
      wait: got.get('wait') as WaitChoice,
      oracle: got.get('oracle') as string | undefined,
      data: got.get('data') as string,
      inMemory: values['in-memory'] === true,
      port: got.get('port') as number,
      operatorPort: got.get('operator-port') as number,
      operators: got.get('operators') as string | undefined,
      mqtt: got.get('mqtt') as string | undefined,
      mqttPort: got.get('mqtt-port') as number,
      demo: values.demo === true,
      surveillance: values.surveillance === true,
      pretty: values.pretty === true ? true : values['json-logs'] === true ? false : undefined,
      snapshotRecords: got.get('snapshot-records') as number,
      snapshotSeconds: got.get('snapshot-seconds') as number,
      snapshotKeep: got.get('snapshot-keep') as number,
      retainWindowUs: got.get('retain-window') as number | undefined,
      retainRecords: got.get('retain-records') as number | undefined,
    },
  };
}

/**
 * The snapshot policy these options ask for, undefined for none (--snapshot-records 0). With surveillance,
 * market shards are not snapshotted: an alert's evidence is replayed from its market shard's whole journal
 * (exchange/surveillance/alert-replay.ts), which retention would otherwise prune.
 */
export function snapshotPolicyOf(o: Pick<StartOptions, 'snapshotRecords' | 'snapshotSeconds' | 'snapshotKeep' | 'retainWindowUs' | 'retainRecords' | 'surveillance'>): SnapshotPolicy | undefined {
  if (o.snapshotRecords === 0) return undefined;
  const policy: SnapshotPolicy = { everyRecords: o.snapshotRecords, everyMs: o.snapshotSeconds * 1_000, keep: o.snapshotKeep, marketShards: !o.surveillance };
  return { ...policy, ...(o.retainWindowUs === undefined ? {} : { windowUs: o.retainWindowUs }), ...(o.retainRecords === undefined ? {} : { windowRecords: o.retainRecords }) };
}
