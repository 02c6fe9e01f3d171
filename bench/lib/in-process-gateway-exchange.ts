// The in-process exchange (one thread, deterministic) behind the gateway's exchange interface
// (gateway/orders/gateway-exchange.ts), so a benchmark can run the whole gateway path on one thread and
// read its CPU per order with process.cpuUsage(): no worker threads, no thread hops, no sockets. flush()
// pumps the exchange to quiescence; what reaches the gateway waits in a queue for poll(), and
// waitForOutput() resolves once there is some (or after the timeout).

import { RecordQueue } from '../../engine/ring/record-queue.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import type { GatewaySource, InProcessExchange } from '../../exchange/in-process-exchange.js';
import type { Listener } from '../../exchange/threaded-exchange.js';
import type { Topology } from '../../exchange/topology.js';

export class InProcessGatewayExchange {
  readonly halted = false;
  private readonly out = new RecordQueue(1024);
  private readonly from: GatewaySource[] = [];
  private wake: (() => void) | undefined;

  constructor(readonly inner: InProcessExchange) {
    inner.onGateway((buf, at, from) => {
      this.out.push(buf, at, buf.seq(at));
      this.from.push(from);
    });
  }

  get topology(): Topology {
    return this.inner.topology;
  }

  offer(buf: RecordBuffer, at: number): boolean {
    this.inner.submitRecord(buf, at);
    return true;
  }

  flush(): void {
    this.inner.pump();
    if (this.out.length > 0 && this.wake !== undefined) {
      const w = this.wake;
      this.wake = undefined;
      w();
    }
  }

  poll(listener: Listener): number {
    const n = this.out.length;
    for (let i = 0; i < n; i++) {
      listener(this.out.records, this.out.frontAt(), this.from[i]!);
      this.out.shift();
    }
    this.from.splice(0, n);
    return n;
  }

  waitForOutput(timeoutMs: number): Promise<void> {
    if (this.out.length > 0) return new Promise((r) => setImmediate(r));
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
