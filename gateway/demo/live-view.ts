// The demo's terminal: on a TTY the whole screen is redrawn a few times a second (cursor home, clear
// below: no scrolling), with the latest log lines under the view, so logging never tears it; elsewhere
// (a pipe, CI) the view is printed as a block every few seconds instead.

import { Writable } from 'node:stream';
import type { MarketView } from './market-view.js';
import { renderView } from './render-view.js';

export interface LiveViewOptions {
  readonly out: NodeJS.WriteStream;
  readonly nowUs: () => number;
  /** Redraws per second on a TTY. */
  readonly fps?: number;
  /** Seconds between blocks when not on a TTY. */
  readonly blockEverySeconds?: number;
  /** A line above the view (what runs, where). */
  readonly header: () => string[];
}

export class LiveView {
  private timer: NodeJS.Timeout | undefined;
  private readonly logLines: string[] = [];
  private lastBlock = 0;
  readonly tty: boolean;

  constructor(
    private readonly view: MarketView,
    private readonly o: LiveViewOptions,
  ) {
    this.tty = o.out.isTTY === true;
  }

  /** Where log lines go while the view owns a TTY: kept and drawn under it. */
  readonly logSink = new Writable({
    write: (chunk, _enc, cb) => {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') this.logLines.push(line);
      if (this.logLines.length > 8) this.logLines.splice(0, this.logLines.length - 8);
      cb();
    },
  });

  start(): void {
    if (this.tty) this.o.out.write('\x1b[?25l\x1b[2J');
    this.timer = setInterval(() => this.draw(), 1000 / (this.tty ? (this.o.fps ?? 4) : 1));
    this.timer.unref();
  }

  /** Stops drawing and gives the terminal back (cursor shown, below the last frame). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) {
      this.draw();
      this.o.out.write('\x1b[?25h\n');
    }
  }

  private draw(): void {
    const now = this.o.nowUs();
    if (this.tty) {
      const lines = [...this.o.header(), '', ...renderView(this.view, now, { color: true }), '', ...this.logLines];
      this.o.out.write('\x1b[H' + lines.map((l) => l + '\x1b[K').join('\n') + '\x1b[J');
      return;
    }
    if (now - this.lastBlock < (this.o.blockEverySeconds ?? 5) * 1_000_000) return;
    this.lastBlock = now;
    this.o.out.write(renderView(this.view, now).join('\n') + '\n');
  }
}
