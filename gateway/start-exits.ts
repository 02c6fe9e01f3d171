// How npm start refuses to start (gateway/main.ts, gateway/serve.ts): one line on stderr and a stable exit
// code an operator's script can act on (docs/OPERATOR.md): 2 for options (or a port) it cannot use,
// 3 for a data directory it cannot start on.

import { PersistenceError } from '../persistence/errors.js';
import { SEE_HELP } from './start-options.js';

/** Options npm start cannot run with: the reason and where the options are listed, exit 2. */
export function refuse(why: string): never {
  console.error(`perpx: ${why}\n${SEE_HELP}`);
  process.exit(2);
}

/** A data directory the exchange cannot start on (corrupt, foreign, another configuration's): one line, exit 3. */
export function refuseDataDir(dir: string, e: unknown): never {
  if (!(e instanceof PersistenceError)) throw e;
  console.error(`perpx: cannot use data directory ${dir}: ${e.message}`);
  process.exit(3);
}
