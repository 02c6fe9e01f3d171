// The restore tool called in-process as a test would from a shell: arguments in, exit code and the text
// it printed on stdout and stderr out.

import { main } from '../../exchange/restore/main.js';

export async function tool(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}

/** A state hash as the tool prints it. */
export const hex = (h: bigint) => h.toString(16).padStart(16, '0');
