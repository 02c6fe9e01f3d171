// SurveillanceGroup: the surveillance workers of a threaded exchange and the rings around them. One worker
// can watch every market shard, or W workers split them (market shard s → worker s mod W): the engine's
// state is per market and its alerts depend only on each market's own stream and the owner table
// (SURVEILLANCE.md, "Determinism and replay"), so a split raises the same alerts, and surveillance
// capacity grows with the workers instead of one thread having to keep up with every book at once.
//
//   market shard s ═══ gateway ring s ═══▶ main thread (consumer 0)
//                                     ╚═══▶ worker s mod W (consumer 1), as stream 1 + s (the same stream
//                                           number, and so the same alert ids, whatever W is)
//   main thread ── control stream w ──▶ worker w input 0: operator links and timer ticks go to every worker
//
// The workers read each market shard's gateway stream as its ring's second consumer (the disruptor's
// multi-consumer pattern): the shard writes every event once, and a slot is reused once both the gateway
// and surveillance have read it. Whoever wires the exchange makes those rings (gatewayRing()).
//
// Thread contract: the main thread; the workers are its own threads.

import { Doorbell } from '../../engine/ring/doorbell.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import type { ShardDeath, ShardDone } from '../../engine/shard/shard-worker.js';
import type { Alert } from '../../risk/surveillance/alert.js';
import type { IntegrityReport } from '../../risk/surveillance/integrity/integrity-stats.js';
import type { SurveillanceConfig } from '../../risk/surveillance/surveillance-engine.js';
import { SurveillanceHost } from '../../risk/surveillance/surveillance-host.js';
import { GatewayStream } from '../gateway-stream.js';
import { ownerRecord } from './owner-links.js';

export interface ThreadedSurveillance {
  readonly config?: SurveillanceConfig;
  /**
   * Least slots of each market shard's gateway ring, which surveillance reads too (power of two): room to
   * absorb a burst the surveillance engine takes longer over. Default 65,536.
   */
  readonly ringCapacity?: number;
  /** Surveillance workers (default 1); more than the market shards is no use. */
  readonly workers?: number;
  /** Called on the main thread with every alert a worker raises. */
  readonly onAlert: (alert: Alert) => void;
  /** Called with each market's integrity statistics: the day so far each minute, then the whole day. */
  readonly onIntegrity?: (report: IntegrityReport) => void;
  /**
   * Beneficial-owner links operators declared before this start ([account, owner]): given to every worker
   * before any market shard replays or publishes, as the first records of its control input.
   */
  readonly owners?: readonly (readonly [number, number])[];
}

export class SurveillanceGroup {
  private readonly bells: Doorbell[];
  private readonly controlRings: RingBuffer[];
  private readonly controls: GatewayStream[];
  readonly hosts: SurveillanceHost[] = [];

  constructor(
    private readonly marketShards: number,
    private readonly o: ThreadedSurveillance,
  ) {
    const W = Math.max(1, Math.min(o.workers ?? 1, marketShards));
    this.bells = Array.from({ length: W }, () => Doorbell.create());
    // Room for every stored link at start beside the ticks and links of the run.
    let capacity = 1_024;
    while (capacity < 2 * (o.owners?.length ?? 0) + 1_024) capacity *= 2;
    this.controlRings = Array.from({ length: W }, () => SurveillanceHost.controlRing(capacity));
    this.controls = this.controlRings.map((rb, w) => new GatewayStream(rb, this.bells[w]!));
  }

  get workers(): number {
    return this.bells.length;
  }

  /** The doorbell market shard s rings after publishing into its gateway ring (for the worker reading it). */
  bellOf(s: number): Doorbell {
    return this.bells[s % this.workers]!;
  }

  /** A market shard's gateway ring, which surveillance reads as its second consumer: at least `capacity` slots. */
  gatewayRing(capacity: number): RingBuffer {
    return RingBuffer.create(Math.max(capacity, this.o.ringCapacity ?? 65_536), 2);
  }

  /**
   * Starts every worker on the market shards' gateway rings (made by gatewayRing()), before the market
   * shards: no shard may publish into a ring a consumer of which is not there yet.
   */
  async start(wait: WaitStrategyName | undefined, gatewayRings: readonly RingBuffer[]): Promise<void> {
    if (gatewayRings.length !== this.marketShards) throw new RangeError('one gateway ring per market shard');
    for (let w = 0; w < this.workers; w++) {
      const shards = Array.from({ length: this.marketShards }, (_, s) => s).filter((s) => s % this.workers === w);
      this.hosts.push(
        await SurveillanceHost.start({
          bell: this.bells[w]!,
          controlRing: this.controlRings[w]!,
          marketRings: shards.map((s) => RingBuffer.attach(gatewayRings[s]!.sab, 1)),
          streams: shards.map((s) => 1 + s),
          config: this.o.config,
          wait,
          onAlert: this.o.onAlert,
          onIntegrity: this.o.onIntegrity,
        }),
      );
    }
    const buf = RecordBuffer.allocate(1);
    for (const [account, owner] of this.o.owners ?? []) {
      ownerRecord(buf, account, owner);
      if (!this.offerAll(buf, 0)) throw new RangeError('the surveillance control ring cannot take the stored owner links');
    }
    this.flush();
  }

  onDeath(listener: (worker: number, d: ShardDeath) => void): void {
    this.hosts.forEach((h, w) => h.onDeath((d) => listener(w, d)));
  }

  /** Room in every worker's control stream (a record for all of them goes to all or none). */
  hasRoom(): boolean {
    return this.controls.every((c) => c.hasRoom());
  }

  /** Offers a control record (a link, a timer tick) to every worker: all or none. */
  offerAll(buf: RecordBuffer, at: number): boolean {
    if (!this.hasRoom()) return false;
    for (const c of this.controls) c.offer(buf, at);
    return true;
  }

  flush(): void {
    for (const c of this.controls) c.flush();
  }

  stop(timeoutMs?: number): Promise<ShardDone>[] {
    return this.hosts.map((h) => h.stop(timeoutMs));
  }
}
