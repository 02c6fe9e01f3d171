// The process's structured log (pino): JSON lines on stdout by default, for machines to collect; pretty
// coloured lines (pino-pretty, in this thread: no transport worker) with --pretty or when stdout is a
// terminal. Secrets never reach it: the redact paths below blank credentials wherever a caller passes
// them by mistake. pino-pretty is imported only when the lines are to be pretty: loading it costs a
// quarter of a second of a start that logs JSON (npm start's recovery starts the shards before the rest).

import { pino, type Logger } from 'pino';

export type { Logger };

export interface LogOptions {
  /** Pretty lines instead of JSON (default: when stdout is a TTY). */
  readonly pretty?: boolean;
  readonly level?: string;
  /** Where lines go (default stdout); tests pass a stream of their own. */
  readonly destination?: NodeJS.WritableStream;
}

const REDACT = ['token', 'secret', 'password', 'signature', 'authorization', '*.token', '*.secret', '*.signature', '*.authorization', 'headers.authorization'];

export async function createLogger(o: LogOptions = {}): Promise<Logger> {
  const wantPretty = o.pretty ?? process.stdout.isTTY === true;
  const options = { level: o.level ?? 'info', base: { name: 'perpx' }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (wantPretty) {
    const { default: pretty } = await import('pino-pretty');
    return pino(options, pretty({ colorize: o.destination === undefined && process.stdout.isTTY === true, sync: true, ignore: 'pid,hostname,name', translateTime: 'HH:MM:ss.l', destination: o.destination ?? 1 }));
  }
  return pino(options, o.destination ?? pino.destination({ dest: 1, sync: true }));
}
