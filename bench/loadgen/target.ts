// The server under load, in a process of its own: started with `node <script> [args]`, it prints
// "listening <port>" on stdout once it serves; stop() sends SIGTERM and waits for it to exit. `nodeArgs`
// go to node itself (`--cpu-prof`, `--trace-gc`: NODE_OPTIONS refuses some of them).

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Target {
  readonly url: string;
  /** The target's process id (its CPU time is read from /proc: cpu-time.ts). */
  readonly pid: number;
  /** Lines the target printed besides "listening" (its own figures, credentials for the load). */
  readonly lines: string[];
  /** Sends SIGUSR2 and resolves with the next line starting "stats " (the gateway target's window stats). */
  stats(timeoutMs?: number): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

export function startTarget(script: URL, args: readonly string[] = [], nodeArgs: readonly string[] = [], timeoutMs = 60_000): Promise<Target> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [...nodeArgs, fileURLToPath(script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let onStats: ((s: Record<string, unknown>) => void) | undefined;
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script.pathname}: not listening within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => reject(new Error(`${script.pathname} exited (${code}) before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        const m = /^listening (\d+)$/.exec(line);
        if (!m) {
          if (line.startsWith('stats ') && onStats !== undefined) onStats(JSON.parse(line.slice(6)) as Record<string, unknown>);
          else lines.push(line);
          continue;
        }
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({
          url: `ws://127.0.0.1:${m[1]}`,
          pid: child.pid!,
          stats: (timeoutMs = 2_000) =>
            new Promise((done) => {
              const t = setTimeout(() => {
                onStats = undefined;
                done(undefined);
              }, timeoutMs);
              onStats = (s) => {
                clearTimeout(t);
                onStats = undefined;
                done(s);
              };
              child.kill('SIGUSR2');
            }),
          lines,
          // A target that does not stop within 15 s of SIGTERM (an overloaded one draining a backlog) is killed.
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
              child.once('exit', () => {
                clearTimeout(kill);
                done();
              });
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}
