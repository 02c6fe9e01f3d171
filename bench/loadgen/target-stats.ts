// What a load target saw of itself over one window (one rate of the load generator): the event loop's
// delay (perf_hooks monitorEventLoopDelay: how late a timer of the loop ran, i.e. how long the loop was
// blocked), the garbage collector's pauses on the main thread (PerformanceObserver 'gc' entries), and the
// differences of the counters the target passes in (records dispatched, user frames sent, requests).

import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface WindowStats {
  readonly loopDelayP50Us: number;
  readonly loopDelayP99Us: number;
  readonly loopDelayMaxUs: number;
  readonly gcCount: number;
  /** Of gcCount, the full (mark-sweep-compact) collections; the rest are scavenges and incremental steps. */
  readonly gcMajor: number;
  readonly gcTotalMs: number;
  readonly gcMaxMs: number;
  readonly counters: Record<string, number>;
}

export class TargetStats {
  private readonly loop = monitorEventLoopDelay({ resolution: 1 });
  private readonly gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      this.gcCount++;
      if (((e as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.gcMajor++;
      this.gcTotalMs += e.duration;
      this.gcMaxMs = Math.max(this.gcMaxMs, e.duration);
    }
  });
  private gcCount = 0;
  private gcMajor = 0;
  private gcTotalMs = 0;
  private gcMaxMs = 0;
  private last: Record<string, number>;

  constructor(private readonly counters: () => Record<string, number>) {
    this.loop.enable();
    this.gc.observe({ entryTypes: ['gc'] });
    this.last = counters();
  }

  /** The window since the last take() (or the start), and starts the next one. */
  take(): WindowStats {
    const now = this.counters();
    const us = (ns: number) => Math.round(ns / 1000);
    const out: WindowStats = {
      loopDelayP50Us: us(this.loop.percentile(50)),
      loopDelayP99Us: us(this.loop.percentile(99)),
      loopDelayMaxUs: us(this.loop.max),
      gcCount: this.gcCount,
      gcMajor: this.gcMajor,
      gcTotalMs: Math.round(this.gcTotalMs * 10) / 10,
      gcMaxMs: Math.round(this.gcMaxMs * 10) / 10,
      counters: Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (this.last[k] ?? 0)])),
    };
    this.last = now;
    this.loop.reset();
    this.gcCount = 0;
    this.gcMajor = 0;
    this.gcTotalMs = 0;
    this.gcMaxMs = 0;
    return out;
  }

  stop(): void {
    this.loop.disable();
    this.gc.disconnect();
  }
}
