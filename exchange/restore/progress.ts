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

/** Seconds left as the bar shows them: 42s, 3m07s, 2h05m. */
function eta(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3_600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

export function progress(label: string, total: number, env: ProgressEnv = {}): Progress {
  const now = env.now ?? (() => performance.now());
  const started = now();
  let bar: cliProgress.SingleBar | undefined;
  // Rate and time left from our own clock and counts, from the first frame on: cli-progress's own ETA
  // reads the wall clock over its last updates and shows "INF" when two updates carry the same count.
  const figures = (done: number) => {
    const rate = done / ((now() - started) / 1_000);
    return { rate: Math.round(rate).toLocaleString('en-US'), left: rate > 0 ? eta((total - done) / rate) : '-' };
  };
  return {
    update(done) {
      if (bar === undefined) {
        if (now() - started < 1_000) return;
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {value}/{total} records | {rate} rec/s | ETA {left}`, stream: env.stream ?? process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done, figures(done));
        return;
      }
      bar.update(done, figures(done));
    },
    stop() {
      bar?.stop();
    },
  };
}
