// `npm start` as a child process for end-to-end tests: the compiled gateway/main.js with the given
// options, its stdout and stderr kept, its JSON log lines parsed, and a bounded wait that prints both
// streams' tails when it gives up.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../../gateway/main.js', import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  url?: string;
}

export function spawnMain(args: readonly string[]) {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const io = { out: '', err: '' };
  child.stdout.on('data', (c: Buffer) => (io.out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (io.err += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = () => io.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
  const tail = () => `stdout: ${io.out.slice(-2000)}\nstderr: ${io.err}`;
  /** Polls `cond` every 20 ms for up to a minute. */
  const until = async (what: string, cond: () => boolean | Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 3_000; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail(`never: ${what}\n${tail()}`);
  };
  return { child, io, exited, lines, tail, until };
}
