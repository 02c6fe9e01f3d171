// The in-process exchange (every shard on the calling thread) behind the DemoDriver's exchange interface:
// offer() submits, flush() pumps every stream dry, poll() hands out what reached the gateway since the
// last poll. A benchmark can then time a whole flow in this process's CPU time, which other work on the
// machine disturbs far less than a rate across threads.

import type { RecordBuffer } from '../../engine/ring/record.js';
import { InProcessExchange, type GatewaySource, type InProcessOptions } from '../../exchange/in-process-exchange.js';
import type { Listener } from '../../exchange/threaded-exchange.js';
import type { DriverExchange } from '../../gateway/demo-driver.js';
import { RecordQueue } from '../../engine/ring/record-queue.js';

export class InProcessDriverExchange implements DriverExchange {
  readonly exchange: InProcessExchange;
  private readonly held = new RecordQueue(4_096);
  private readonly from: GatewaySource[] = [];

  constructor(o: InProcessOptions) {
    this.exchange = new InProcessExchange(o);
    this.exchange.onGateway((buf: RecordBuffer, at: number, from: GatewaySource) => {
      this.held.push(buf, at, buf.seq(at));
      this.from.push(from);
    });
  }

  get topology() {
    return this.exchange.topology;
  }

  get halted(): boolean {
    return this.exchange.failure !== undefined;
  }

  offer(buf: RecordBuffer, at: number): boolean {
    this.exchange.submitRecord(buf, at);
    return true;
  }

  flush(): void {
    this.exchange.pump();
  }

  poll(listener: Listener): number {
    let n = 0;
    while (this.held.length > 0) {
      listener(this.held.records, this.held.frontAt(), this.from[n]!);
      this.held.shift();
      n++;
    }
    this.from.length = 0;
    return n;
  }

  waitForOutput(): Promise<void> {
    return Promise.resolve();
  }

  scanSnapshots() {
    return Promise.resolve(this.exchange.scanSnapshots());
  }
}
