// The ring tracer (bench-only, the gateway target's --trace): a worker thread that watches a threaded
// exchange's rings and durable watermark and stamps each place order at every hop (ring-trace-worker.ts
// says which), so a latency tail can be pinned on a hop without a clock inside engine/ or risk/.
// dump() hands over the orders whose answer the gateway has taken since the last dump, with the gaps
// between the tracer's own polls (its resolution). It costs a thread that wakes every ~20-100 µs: its
// stamps say where time goes, but CPU and latency figures for A/B comparisons come from untraced runs.

import { Worker } from 'node:worker_threads';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import type { OrderStamps, RingTraceData } from './ring-trace-worker.js';

export type { OrderStamps } from './ring-trace-worker.js';

export interface TraceDump {
  orders: OrderStamps[];
  gaps: number[];
  /** The gateway's clock minus process.hrtime, µs: maps rx / tx onto the machine's monotonic clock. */
  offsetUs: number;
}

export class RingTrace {
  private waiting: ((d: TraceDump) => void)[] = [];

  private constructor(
    private readonly worker: Worker,
    private readonly control: Int32Array,
  ) {
    worker.on('message', (d: TraceDump | 'ready') => {
      if (d !== 'ready') this.waiting.shift()?.(d);
    });
  }

  /** Starts the tracer on `exchange` (its clock aligned with `nowUs`, the gateway's); resolves once it watches. */
  static async start(exchange: ThreadedExchange, nowUs: () => number): Promise<RingTrace> {
    const offsetUs = nowUs() - Number(process.hrtime.bigint() / 1000n);
    const risk = exchange.riskHosts;
    const market = exchange.marketHosts;
    const j = exchange.journal;
    const control = new Int32Array(new SharedArrayBuffer(8));
    const data: RingTraceData = {
      offsetUs,
      g2r: risk.map((h) => h.inputs[0]!.sab),
      r2m: risk.flatMap((h) => h.marketOut.map((r) => r.sab)),
      m2g: market.map((h) => h.gatewayOut.sab),
      taps: j ? j.taps.map((t) => t.ring.sab) : [],
      ...(j && { watermark: j.watermark.sab }),
      marketShards: market.length,
      control: control.buffer as SharedArrayBuffer,
    };
    const worker = new Worker(new URL('./ring-trace-worker.js', import.meta.url), { workerData: data });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new RingTrace(worker, control);
  }

  /** The orders answered since the last dump, and the tracer's poll gaps (µs). */
  dump(): Promise<TraceDump> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      Atomics.add(this.control, 0, 1);
    });
  }

  async stop(): Promise<void> {
    Atomics.store(this.control, 1, 1);
    await this.worker.terminate();
  }
}
