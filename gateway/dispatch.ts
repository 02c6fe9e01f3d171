// Dispatcher: the one loop that polls the exchange and hands every released record to every listener, in
// release order: the gateway's own (answers, read models, user streams) and any other (md's market-data
// hub). A listener is the ThreadedExchange Listener signature, `(buf, at, from)`, or an object with
// `onRecord`. Between polls it parks on the exchange's doorbell (Atomics.waitAsync: the event loop keeps
// serving sockets), so an idle gateway does not spin; every park has a timeout, and stop() ends the loop
// at its next wake.

import type { GatewaySource } from '../exchange/in-process-exchange.js';
import type { Listener } from '../exchange/threaded-exchange.js';
import type { RecordBuffer } from '../engine/ring/record.js';
import type { GatewayExchange } from './orders/gateway-exchange.js';

export type RecordListener = Listener | { onRecord(buf: RecordBuffer, at: number, from: GatewaySource): void };

export class Dispatcher {
  private readonly listeners: Listener[] = [];
  private running = false;
  private done: Promise<void> | undefined;
  /** Records handed out since start. */
  records = 0;
  private readonly fanOut: Listener = (buf, at, from) => {
    for (const l of this.listeners) l(buf, at, from);
  };

  constructor(
    private readonly exchange: GatewayExchange,
    /** Runs after each poll (retries of the gateway's own commands, halt handling). */
    private readonly afterPoll: () => void,
    private readonly parkMs = 100,
  ) {}

  add(l: RecordListener): () => void {
    const f: Listener = typeof l === 'function' ? l : (buf, at, from) => l.onRecord(buf, at, from);
    this.listeners.push(f);
    return () => {
      const i = this.listeners.indexOf(f);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Polls once now (also what stop() drains with). */
  pollOnce(): number {
    const n = this.exchange.poll(this.fanOut);
    this.records += n;
    this.afterPoll();
    return n;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = (async () => {
      while (this.running) {
        this.pollOnce();
        await this.exchange.waitForOutput(this.parkMs);
      }
    })();
  }

  /** The listener to pass to exchange.stop(), so records drained while stopping still reach everyone. */
  get listener(): Listener {
    return this.fanOut;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}
