// What RocksDB says it was opened with: the newest OPTIONS-<n> file it writes into its directory on each
// open, read for one option's value. For tests of the options persistence passes to the binding.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The value of `name` (e.g. write_buffer_size) in the newest OPTIONS file of `dir`, as text. */
export function rocksOption(dir: string, name: string): string | undefined {
  const files = readdirSync(dir).filter((f) => /^OPTIONS-\d+$/.test(f));
  const newest = files.sort((a, b) => Number(a.slice(8)) - Number(b.slice(8))).at(-1);
  if (newest === undefined) return undefined;
  return new RegExp(`^\\s*${name}=(.*)$`, 'm').exec(readFileSync(join(dir, newest), 'utf8'))?.[1];
}
