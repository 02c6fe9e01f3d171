// Command lines of the bench tools (loadgen, its gateway target): one table of options, each with its
// default and a line of help; `--help` prints them and exits 0, an unknown option or a missing value is
// refused with one line naming it and a pointer to --help (exit 2), never a stack trace.

import { parseArgs } from 'node:util';

export interface CliOption {
  readonly type: 'string' | 'boolean';
  /** Strings only: the value when the option is absent (booleans default to false). */
  readonly default?: string;
  /** What the value is, for the help line (strings only): `N`, `a,b,c`. */
  readonly arg?: string;
  readonly help: string;
}

export type CliValues<O extends Record<string, CliOption>> = { [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : string };

/** The usage text: the synopsis, then one line per option with its default. */
function usage(synopsis: string, options: Record<string, CliOption>): string {
  const lines = Object.entries(options).map(([name, o]) => {
    const left = `  --${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
    const dflt = o.type === 'string' ? ` (default: ${o.default === undefined || o.default === '' ? 'none' : o.default})` : '';
    return `${left.padEnd(34)} ${o.help}${dflt}`;
  });
  return [`usage: ${synopsis}`, '', ...lines, `  ${'--help'.padEnd(32)} this text`].join('\n');
}

/**
 * Parses `argv` against `options`. `--help`: prints usage and exits 0. A bad command line: prints
 * `<tool>: <what is wrong>` and exits 2.
 */
export function parseCli<O extends Record<string, CliOption>>(tool: string, synopsis: string, options: O, argv: readonly string[] = process.argv.slice(2)): CliValues<O> {
  const spec: Record<string, { type: 'string' | 'boolean'; default?: string | boolean }> = { help: { type: 'boolean', default: false } };
  for (const [name, o] of Object.entries(options)) spec[name] = o.type === 'string' ? { type: 'string', default: o.default ?? '' } : { type: 'boolean', default: false };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: spec, allowPositionals: false, strict: true }));
  } catch (e) {
    fail(tool, `${(e as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '')}; see --help`);
  }
  if (values['help'] === true) {
    console.log(usage(synopsis, options));
    process.exit(0);
  }
  return values as CliValues<O>;
}

/** Refuses a command line: one line on stderr, exit 2. */
export function fail(tool: string, message: string): never {
  console.error(`${tool}: ${message}`);
  process.exit(2);
}
