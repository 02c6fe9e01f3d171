// DemoPacer: how many demo actions npm start --demo offers each turn of its loop, kept apart from the
// bots themselves so the start can pace them without loading the bots' WebSocket clients (serve.ts
// imports demo/bots.ts only when --demo runs).

/**
 * How many actions to offer now to keep `rate` a second since the start, at most `burstMs` of them at
 * once: what a stall of the process (a GC pause, a loaded machine) left unsent is dropped, not fired in a
 * burst. Catching up sent a maker's requotes of two seconds within a few milliseconds, which is what
 * quote stuffing is.
 */
export class DemoPacer {
  private offered = 0;

  constructor(
    private readonly rate: number,
    private readonly burstMs = 50,
  ) {}

  due(elapsedMs: number): number {
    const due = Math.floor((elapsedMs / 1000) * this.rate) - this.offered;
    if (due <= 0) return 0;
    this.offered += due;
    return Math.min(due, Math.max(1, Math.ceil((this.rate * this.burstMs) / 1000)));
  }
}
