// Dispatcher: the one loop that polls the exchange and hands every released record to every listener, in
// release order: the gateway's own (answers, read models, user streams) and any other (md's market-data
// hub). A listener is the ThreadedExchange Listener signature, `(buf, at, from)`, or an object with
// `onRecord`. Between polls it parks on the exchange's doorbell (Atomics.waitAsync: the event loop keeps
// serving sockets), so an idle gateway does not spin; every park has a timeout, and stop() ends the loop
// at its next wake.
//
// Restoring listeners (an object with `restore`: the gateway's read models, md's hub) hold state a
// restarted exchange does not re-announce. Between beginRestore() and finishRestore(states) they get
// nothing: their records are copied aside (the loop keeps polling, so no shard blocks on a full ring
// while it copies its state). finishRestore() hands each the shards' copies, then the records set aside
// and every later one that is news to the copies (restart-state.ts RestartGate), until the gate is open.

import type { GatewaySource } from '../exchange/in-process-exchange.js';
import type { Listener } from '../exchange/threaded-exchange.js';
import { RecordQueue } from '../engine/ring/record-queue.js';
import type { RecordBuffer } from '../engine/ring/record.js';
import type { ShardStates } from '../exchange/shard-states.js';
import type { GatewayExchange } from './orders/gateway-exchange.js';
import { RestartGate } from './views/restart-state.js';

export type RecordListener = Listener | { onRecord(buf: RecordBuffer, at: number, from: GatewaySource): void; restore?(states: ShardStates): void };

export class Dispatcher {
  private readonly listeners: Listener[] = [];
  /** Restoring listeners: fed through the restart gate while one is closed. */
  private readonly restoring: { listener: Listener; restore: (states: ShardStates) => void }[] = [];
  private running = false;
  private done: Promise<void> | undefined;
  /** Records handed out since start. */
  records = 0;
  /** Between beginRestore() and finishRestore(): restoring listeners' records set aside, with their sources. */
  private aside: { queue: RecordQueue; from: GatewaySource[] } | undefined;
  private gate: RestartGate | undefined;
  private readonly fanOut: Listener = (buf, at, from) => {
    for (const l of this.listeners) l(buf, at, from);
    const r = this.restoring;
    if (r.length === 0) return;
    if (this.aside !== undefined) {
      this.aside.queue.push(buf, at, buf.seq(at));
      this.aside.from.push(from);
      return;
    }
    const gate = this.gate;
    if (gate !== undefined) {
      if (!gate.fresh(buf, at, from)) return;
      if (gate.open) this.gate = undefined;
    }
    for (let i = 0; i < r.length; i++) r[i]!.listener(buf, at, from);
  };

  constructor(
    private readonly exchange: GatewayExchange,
    /** Runs after each poll (retries of the gateway's own commands, halt handling). */
    private readonly afterPoll: () => void,
    private readonly parkMs = 100,
  ) {}

  /**
   * Adds a listener; returns its removal. One with `restore` is a restoring listener (above): add it
   * before finishRestore(), or it is never restored and sees only what comes after.
   */
  add(l: RecordListener): () => void {
    const f: Listener = typeof l === 'function' ? l : (buf, at, from) => l.onRecord(buf, at, from);
    if (typeof l !== 'function' && l.restore !== undefined) {
      const entry = { listener: f, restore: l.restore.bind(l) };
      this.restoring.push(entry);
      return () => {
        const i = this.restoring.indexOf(entry);
        if (i >= 0) this.restoring.splice(i, 1);
      };
    }
    this.listeners.push(f);
    return () => {
      const i = this.listeners.indexOf(f);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** From now until finishRestore(), restoring listeners' records are set aside. */
  beginRestore(): void {
    this.aside ??= { queue: new RecordQueue(256), from: [] };
  }

  /** Restores every restoring listener from the shards' copies, then hands them what is news to them. */
  finishRestore(states: ShardStates): void {
    const aside = this.aside;
    this.aside = undefined;
    for (const r of this.restoring) r.restore(states);
    const gate = (this.gate = new RestartGate(states));
    if (aside !== undefined) {
      const q = aside.queue;
      for (let i = 0; q.length > 0; i++) {
        this.fanOutRestoring(q.records, q.frontAt(), aside.from[i]!, gate);
        q.shift();
      }
    }
    if (gate.open) this.gate = undefined;
  }

  private fanOutRestoring(buf: RecordBuffer, at: number, from: GatewaySource, gate: RestartGate): void {
    if (!gate.fresh(buf, at, from)) return;
    for (const r of this.restoring) r.listener(buf, at, from);
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
