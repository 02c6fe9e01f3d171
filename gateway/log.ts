// The process's structured log (pino): JSON lines on stdout by default, for machines to collect; pretty
// coloured lines (pino-pretty, in this thread: no transport worker) with --pretty or when stdout is a
// terminal. Secrets never reach it: the redact paths below blank credentials wherever a caller passes
// them by mistake.

import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LogOptions {
  /** Pretty lines instead of JSON (default: when stdout is a TTY). */
  readonly pretty?: boolean;
  readonly level?: string;
  /** Where lines go (default stdout); tests pass a stream of their own. */
  readonly destination?: NodeJS.WritableStream;
}

const REDACT = ['token', 'secret', 'password', 'signature', 'authorization', '*.token', '*.secret', '*.signature', '*.authorization', 'headers.authorization'];

export function createLogger(o: LogOptions = {}): Logger {
  const wantPretty = o.pretty ?? process.stdout.isTTY === true;
  const options = { level: o.level ?? 'info', base: { name: 'perpx' }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (wantPretty) {
    return pino(options, pretty({ colorize: o.destination === undefined && process.stdout.isTTY === true, sync: true, ignore: 'pid,hostname,name', translateTime: 'HH:MM:ss.l', destination: o.destination ?? 1 }));
  }
  return pino(options, o.destination ?? pino.destination({ dest: 1, sync: true }));
}
