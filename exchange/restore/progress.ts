// A progress bar (cli-progress) for replays and scans: shown on stderr only once the work has taken a
// second, so short runs print nothing and --json output on stdout stays clean. The clock and the stream
// can be given (a test drives both; test/exchange/restore-progress.test.ts).

import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export interface ProgressEnv {
  /** Milliseconds from any fixed origin (default performance.now). */
  readonly now?: () => number;
  /** Where the bar is drawn (default process.stderr; cli-progress draws only on a terminal). */
  readonly stream?: NodeJS.WritableStream;
}

export function progress(label: string, total: number, env: ProgressEnv = {}): Progress {
  const now = env.now ?? (() => performance.now());
  const started = now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done) {
      if (bar === undefined) {
        if (now() - started < 1_000) return;
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {value}/{total} records | {rate} rec/s | ETA {eta_formatted}`, stream: env.stream ?? process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done, { rate: '-' });
      }
      const secs = (now() - started) / 1_000;
      bar.update(done, { rate: Math.round(done / secs).toLocaleString('en-US') });
    },
    stop() {
      bar?.stop();
    },
  };
}
