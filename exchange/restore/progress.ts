// A progress bar (cli-progress) for replays and scans: shown on stderr only once the work has taken a
// second, so short runs print nothing and --json output on stdout stays clean.

import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function progress(label: string, total: number): Progress {
  const started = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done) {
      if (bar === undefined) {
        if (performance.now() - started < 1_000) return;
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {value}/{total} records | {rate} rec/s | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done, { rate: '-' });
      }
      const secs = (performance.now() - started) / 1_000;
      bar.update(done, { rate: Math.round(done / secs).toLocaleString('en-US') });
    },
    stop() {
      bar?.stop();
    },
  };
}
