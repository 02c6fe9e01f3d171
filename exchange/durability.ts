// Durability: what the exchange needs to run on a data directory, prepared as its shards start.
//
//   begin(dir): create (meta, empty cut) or check meta against this configuration
//           → read the cut: the first seq each gateway stream continues with, and per output stream the
//             first seq its consumer has not consumed (the cut's last seqs: re-delivered during the replay)
//           → in the background, shard after shard (risk shards first): its newest usable snapshot (its
//             base), then its log allocated (cut − base position records): replayOf(x) resolves
//           → in the background beside it, shard after shard in the same order, each once its base is
//             chosen: read its journal below the cut into its log, verifying each record's checksum,
//             publishing each verified block (a replay follows it: replay-feed.ts); check the journal's
//             last seqs equal the cut's; drop its torn tail (records past the cut, never acknowledged),
//             with a log line
//   then the threaded exchange starts each shard as soon as replayOf(x) gives its data (it replays as the
//   read goes), and the journal writer (JournalHost) once recovered() says every read passed: a failure
//   stops the start, every shard stopped, nothing written. open(dir) is begin() then recovered().
//
// Shard numbering is persistence's global one: market shard s is s, risk shard r is S + r.
// A shard's replay starts from its newest usable snapshot (snapshots/recovery-base.ts), else position 0.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { Code } from '../engine/codes.js';
import type { Doorbell } from '../engine/ring/doorbell.js';
import type { ShardReplayData } from '../engine/shard/worker-journal.js';
import { decodeCut, type CutRecord } from '../persistence/cut-record.js';
import { PersistenceError } from '../persistence/errors.js';
import { JournalHost } from '../persistence/journal-host.js';
import { readShardLog, shardLogBuffers, truncateTail, type ShardLog, type ShardLogBuffers } from '../persistence/journal-reader.js';
import { CUT_KEY, META_KEY } from '../persistence/keys.js';
import { checkConfig, encodeMeta, readMeta, type StoreMeta } from '../persistence/meta.js';
import { RocksStore } from '../persistence/rocksdb-store.js';
import { recoveryBase, type RecoveryBase } from './snapshots/recovery-base.js';
import { checkSnapshotPolicy, type SnapshotPolicy } from './snapshots/snapshot-policy.js';
import { SnapshotterHost } from './snapshots/snapshotter-host.js';
import type { Topology } from './topology.js';

export interface DurabilityOptions {
  readonly dir: string;
  /** Refuse gateway commands (BACK_PRESSURE) while any shard's journal lag exceeds this many records. */
  readonly maxLagRecords?: number;
  /** Slots per tap ring (power of two). */
  readonly tapCapacity?: number;
  /** Where recovery's log lines go (default: console.log). */
  readonly log?: (line: string) => void;
  /** Take snapshots (snapshotter worker) and prune by this policy; absent: none taken, none pruned. */
  readonly snapshots?: SnapshotPolicy;
  /** Recover from stored snapshots (default true); false replays every journal from position 0 (tests' clean replays). */
  readonly fromSnapshots?: boolean;
  /**
   * Awaited before shard x's snapshots are checked: tests hold one shard's check to show that the other
   * shards start and recover without waiting for it.
   */
  readonly beforeSnapshotCheck?: (x: number) => Promise<void> | undefined;
}

/** Per shard x, per input i: the producing shard, -1 for the gateway (topology.ts input indexes). */
export function producerTable(t: Topology): number[][] {
  const S = t.marketShards;
  const R = t.riskShards;
  const market = Array.from({ length: S }, () => [-1, ...Array.from({ length: R }, (_, r) => S + r)]);
  const risk = Array.from({ length: R }, () => [-1, ...Array.from({ length: S }, (_, s) => s)]);
  return [...market, ...risk];
}

/** Per output stream of shard x (gateway excluded, in the worker's order): the consuming shard and its input index. */
export function consumersOf(t: Topology, x: number): { shard: number; input: number }[] {
  const S = t.marketShards;
  const R = t.riskShards;
  return x < S ? Array.from({ length: R }, (_, r) => ({ shard: S + r, input: 1 + x })) : Array.from({ length: S }, (_, s) => ({ shard: s, input: 1 + (x - S) }));
}

/**
 * The order the journals are read in: the risk shards first (on this flow the risk shard holds ~70% of the
 * records and its replay is the restart's long pole: it starts first), then the market shards in order.
 */
function readOrder(t: Topology): number[] {
  const S = t.marketShards;
  return [...Array.from({ length: t.riskShards }, (_, r) => S + r), ...Array.from({ length: S }, (_, s) => s)];
}

/** Where recovery's log lines go: the options' log, else console.log. */
function logOf(o: DurabilityOptions): (line: string) => void {
  return o.log ?? ((l: string) => console.log(l));
}

export class Durability {
  journal: JournalHost | undefined;
  /** The snapshotter, when a snapshot policy is set (its `taken` lists what it stored). */
  snapshotter: SnapshotterHost | undefined;
  private pendingSnapshotter: (() => void) | undefined;
  private reading!: Promise<readonly ShardLog[]>;
  private read: readonly ShardLog[] | undefined;
  /** Per shard, where its journal is read into (allocated once its base is chosen: what the shard replays from). */
  private readonly buffers: ShardLogBuffers[] = [];
  /**
   * Per shard, the snapshot its recovery starts from (undefined: the journal from position 0). Filled as
   * each shard's snapshots are checked: whole once recovered() resolved (or after replayOf(x) for shard x).
   */
  readonly bases: (RecoveryBase | undefined)[] = [];
  /** Per shard, resolves once its base is chosen and its log allocated (rejects if its snapshots could not be listed). */
  private readonly checked: Promise<void>[];

  private constructor(
    readonly dir: string,
    readonly topology: Topology,
    readonly cut: CutRecord,
    /** The configuration as the meta holds it (canonical JSON): what the snapshotter rebuilds shards from. */
    readonly storedConfig: unknown,
    private readonly o: DurabilityOptions,
    store: RocksStore,
    fresh: boolean,
  ) {
    const log = logOf(o);
    const checking = this.checkBases(store, fresh, log);
    this.checked = checking.perShard;
    // Whoever starts the exchange awaits replayOf() and recovered(); until then a failure must not count as unhandled.
    for (const c of this.checked) c.catch(() => {});
    this.reading = this.readAll(store, log, checking.all);
    this.reading.catch(() => {});
  }

  /**
   * Opens the data directory and reads every shard's journal below the cut, verifying it, before it
   * returns: the journal is read before anything replays it (the tools' and tests' way). A start that
   * overlaps the read with the shards' replay uses begin().
   */
  static async open(o: DurabilityOptions, topology: Topology, config: unknown): Promise<Durability> {
    const d = await Durability.begin(o, topology, config);
    await d.recovered();
    return d;
  }

  /**
   * Opens the data directory (meta, cut) and, in the background, chooses each shard's snapshot and
   * allocates its log (replayOf(x) resolves for shard x), and reads the journals into them: a shard may
   * start replaying as soon as its own snapshot is checked, following its read
   * (engine/shard/replay-feed.ts). recovered() says how the read ended.
   */
  static async begin(o: DurabilityOptions, topology: Topology, config: unknown): Promise<Durability> {
    const dir = o.dir;
    const log = logOf(o);
    if (o.snapshots) checkSnapshotPolicy(o.snapshots);
    const fresh = !existsSync(dir) || (statSync(dir).isDirectory() && readdirSync(dir).length === 0);
    if (!fresh && !statSync(dir).isDirectory()) throw new PersistenceError(Code.DATA_DIR_FOREIGN, `${dir} is a file, not a data directory`, { dir });
    if (!fresh && !existsSync(`${dir}/CURRENT`)) throw new PersistenceError(Code.DATA_DIR_FOREIGN, `${dir} is not empty and holds no perpx data`, { dir });
    const store = await RocksStore.open(dir, { createIfMissing: fresh });
    let d: Durability;
    try {
      const shards = topology.marketShards + topology.riskShards;
      const producers = producerTable(topology);
      const emptyCut = (): CutRecord => ({ version: 1, batch: 0, positions: new Array<number>(shards).fill(0), lastSeq: producers.map((p) => p.map(() => 0)) });
      let cut: CutRecord;
      let meta: StoreMeta;
      if (fresh) {
        const bytes = encodeMeta(config);
        await store.write([{ type: 'put', key: META_KEY, value: bytes }], true);
        meta = JSON.parse(Buffer.from(bytes).toString('utf8')) as StoreMeta;
        cut = emptyCut();
        log(`perpx: created data directory ${dir}`);
      } else {
        meta = await readMeta(store, dir);
        checkConfig(meta, config, dir);
        const bytes = await store.get(CUT_KEY);
        cut = bytes ? decodeCut(bytes) : emptyCut();
        if (cut.positions.length !== shards) throw new PersistenceError(Code.DATA_DIR_MISMATCH, `${dir} holds ${cut.positions.length} shards, this topology ${shards}`, { dir });
      }
      d = new Durability(dir, topology, cut, meta.config, o, store, fresh);
    } catch (e) {
      await store.close();
      throw e;
    }
    return d;
  }

  /**
   * Chooses each shard's base, one shard after another in the read order (the risk shards first: the
   * longest replays can start first), and allocates its log; `all` settles once every shard's has (or
   * the first failed: the store could not be listed, which stops the start as a read failure does). A
   * shard's snapshots that fail their checks are passed over with a log line (recovery-base.ts).
   */
  private checkBases(store: RocksStore, fresh: boolean, log: (line: string) => void): { perShard: Promise<void>[]; all: Promise<void> } {
    const order = readOrder(this.topology);
    const perShard: Promise<void>[] = [];
    let previous: Promise<void> = Promise.resolve();
    for (const x of order) {
      const mine = previous.then(async () => {
        await this.o.beforeSnapshotCheck?.(x);
        const base = this.o.fromSnapshots === false ? undefined : await recoveryBase(store, x, this.cut, this.topology, log);
        this.bases[x] = base;
        this.buffers[x] = shardLogBuffers(x, this.cut.positions[x]!, base?.info.position ?? 0);
      });
      perShard[x] = mine;
      previous = mine;
    }
    const all = previous.then(() => {
      const fromSnapshots = this.bases.filter((b) => b !== undefined).length;
      const total = this.buffers.reduce((sum, b) => sum + b.count, 0);
      if (!fresh) log(`perpx: recovering ${this.dir}: ${fromSnapshots > 0 ? `${fromSnapshots} shard(s) from a snapshot, then ` : ''}${total.toLocaleString('en-US')} journal records over ${order.length} shard(s), reading and replaying`);
    });
    return { perShard, all };
  }

  /**
   * Reads every shard's journal into its buffers, each once its base is chosen, the risk shards first (the
   * longest replays start first), then the market shards; checks each against the cut, drops each torn
   * tail; closes the store once every base is chosen too (a failed read leaves those checks to end first).
   */
  private async readAll(store: RocksStore, log: (line: string) => void, checking: Promise<void>): Promise<readonly ShardLog[]> {
    const began = performance.now();
    const producers = producerTable(this.topology);
    const cut = this.cut;
    const logs: ShardLog[] = [];
    try {
      for (const x of readOrder(this.topology)) {
        await this.checked[x];
        const base = this.bases[x];
        const l = await readShardLog(store, x, cut.positions[x]!, { inputs: producers[x]!.length, from: base?.info.position, lastSeq: base?.info.lastSeq, lastTimeUs: base?.info.clockUs, into: this.buffers[x] });
        for (let i = 0; i < l.lastSeq.length; i++) {
          if (l.lastSeq[i] !== (cut.lastSeq[x]?.[i] ?? 0)) {
            throw new PersistenceError(Code.JOURNAL_CORRUPT, `shard ${x}: the cut says input ${i} was consumed to seq ${cut.lastSeq[x]?.[i]}, the journal to ${l.lastSeq[i]}`, { shard: x, input: i });
          }
        }
        if (l.tornRecords > 0) {
          await truncateTail(store, x, cut.positions[x]!);
          log(`perpx: shard ${x}: dropped a torn tail of ${l.tornRecords} record(s) past the durable cut at position ${cut.positions[x]} (never acknowledged)`);
        }
        logs[x] = l;
      }
    } finally {
      await checking.catch(() => {});
      await store.close();
    }
    const total = logs.reduce((sum, l) => sum + l.count, 0);
    if (total > 0) log(`perpx: read and verified ${total.toLocaleString('en-US')} journal records in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    this.read = logs;
    return logs;
  }

  /**
   * Resolves once every shard's journal is read, verified against the cut and its torn tail dropped;
   * rejects with the PersistenceError that stops the start (a checksum, a gap, a journal that ends before
   * the cut or disagrees with it). Nothing may be acknowledged, nor the journal written, before it resolves.
   */
  recovered(): Promise<readonly ShardLog[]> {
    return this.reading;
  }

  /** Every shard's journal below the cut, as read and verified (recovered() first). */
  get logs(): readonly ShardLog[] {
    if (this.read === undefined) throw new Error('the journals are still being read: await recovered() first');
    return this.read;
  }

  /** Global shard number of market shard s / risk shard r. */
  marketShard(s: number): number {
    return s;
  }
  riskShard(r: number): number {
    return this.topology.marketShards + r;
  }

  /**
   * Resolves with shard x's replay (replay(x)) once its base is chosen: as soon as its own snapshots are
   * checked, whatever the other shards' checks still take. Rejects when they could not be read.
   */
  async replayOf(x: number): Promise<ShardReplayData> {
    await this.checked[x];
    return this.replay(x);
  }

  /**
   * The replay of shard x (replayOf(x) first): its journal below the cut (possibly still being read: the
   * replay follows the read's feed), and per output stream where re-delivery starts. That is where each
   * consumer's journal says it consumed to, which the read checks equals the cut's lastSeq: it is taken
   * from the cut, so a shard need not wait for the other shards' reads.
   */
  replay(x: number): ShardReplayData {
    const l = this.buffers[x];
    if (l === undefined) throw new Error(`shard ${x}'s snapshots are still being checked: await replayOf(${x}) first`);
    // Output order is the worker's: gateway first, then one stream per shard of the other kind.
    const consumers = consumersOf(this.topology, x);
    const deliverFrom = [Infinity, ...consumers.map((c) => this.consumedTo(c.shard, c.input) + 1)];
    return { records: l.records, inputs: l.inputs, count: l.count, firstPosition: l.firstPosition, deliverFrom, snapshot: this.bases[x]?.bytes, feed: l.feed };
  }

  /** The last seq of input i shard x consumed below the cut (the read checks its journal agrees). */
  private consumedTo(x: number, i: number): number {
    return this.cut.lastSeq[x]?.[i] ?? 0;
  }

  /** Gateway commands every shard has taken so far: a bound on ids a gateway handed out before a restart. */
  gatewayCommands(): number {
    return this.cut.positions.reduce((sum, _, x) => sum + this.consumedTo(x, 0), 0);
  }

  /** The seq the gateway's next command to shard x carries. */
  gatewayNextSeq(x: number): number {
    return this.consumedTo(x, 0) + 1;
  }

  /**
   * Makes the journal writer's host (once), not started: shards get its shardData(x) when they start, and
   * its start() must wait for recovered() (the writer opens the store the read holds, and must never
   * continue a journal that failed its checks). The snapshotter waits too: startSnapshots().
   */
  journalHost(gatewayBell: Doorbell): JournalHost {
    if (this.journal) return this.journal;
    const policy = this.o.snapshots;
    const channel = policy ? SnapshotterHost.channel() : undefined;
    const snapshots = policy && channel ? { port: channel.port2, retention: policy } : undefined;
    const host = new JournalHost({ dir: this.dir, producerOf: producerTable(this.topology), from: this.cut, gatewayBell, tapCapacity: this.o.tapCapacity, snapshots });
    this.journal = host;
    if (policy && channel) {
      const snapshotter = new SnapshotterHost(logOf(this.o));
      this.snapshotter = snapshotter;
      this.pendingSnapshotter = () => {
        const S = this.topology.marketShards;
        const which = this.cut.positions.map((_, x) => x).filter((x) => x >= S || policy.marketShards !== false);
        // The replicas start where the shards' recoveries did; the snapshotter gets its own copy of the bytes.
        // Not awaited: its failures are its own (`snapshotter.failure`), and the exchange serves meanwhile.
        void snapshotter.start(this.storedConfig, which.map((x) => ({ shard: x, position: this.bases[x]?.info.position ?? 0, snapshot: this.bases[x]?.bytes, timeUs: this.bases[x]?.info.clockUs })), policy, channel.port1);
      };
      // Before the writer drains and closes: the snapshotter's last request must find it open.
      host.beforeStop(() => snapshotter.stop());
    }
    return host;
  }

  /** Journal records the shards replay on this start (after their snapshots): once every replayOf() resolved. */
  get replayTotal(): number {
    return this.cut.positions.reduce((sum, _, x) => sum + this.replay(x).count, 0);
  }

  /**
   * Logs how far the shards' replay has come (`done` of replayTotal records, `ms` since it began): once a
   * second while it lasts, and once at the end, so an operator sees a long recovery move and what it took.
   */
  replayProgress(done: number, ms: number, finished: boolean): void {
    const total = this.replayTotal;
    const n = (v: number) => v.toLocaleString('en-US');
    const rate = ms > 0 ? Math.round((done * 1000) / ms) : 0;
    const log = logOf(this.o);
    if (finished) log(`perpx: replayed ${n(total)} journal records in ${(ms / 1000).toFixed(1)} s (${n(rate)} records/s)`);
    else log(`perpx: replaying: ${n(done)} of ${n(total)} journal records (${Math.floor((done * 100) / Math.max(1, total))}%), ${n(rate)} records/s${rate > 0 ? `, about ${Math.ceil((total - done) / rate)} s left` : ''}`);
  }

  /**
   * Logs, once shard x's replay is done, how many records it replayed from where and when it was done
   * (`began`: performance.now() when the exchange began starting): which shard was the restart's long
   * pole, and that a shard serves its part without waiting for the others' checks. Nothing if it never
   * finishes (a failed start stops it) or had nothing to recover (no snapshot, no journal).
   */
  shardReplayedLog(x: number, replayed: Promise<void>, began: number): void {
    const base = this.bases[x];
    const count = this.replay(x).count;
    if (count === 0 && base === undefined) return;
    const name = x < this.topology.marketShards ? `market ${x}` : `risk ${x - this.topology.marketShards}`;
    replayed.then(
      () => logOf(this.o)(`perpx: shard ${x} (${name}) replayed ${count.toLocaleString('en-US')} journal records ${base ? `after its snapshot at position ${base.info.position.toLocaleString('en-US')}` : 'from position 0'}, ${((performance.now() - began) / 1000).toFixed(1)} s into the start`),
      () => {},
    );
  }

  /**
   * Starts the snapshotter, once every shard has recovered. Its replicas replay the same journal the
   * shards just did; started beside them it took a share of the cores while the exchange was not yet
   * serving (on two cores, a restart after a 35-second demo was ready in 8.9-11.5 s without it and
   * 12.2-17.7 s with it). Started afterwards, it catches up while the exchange serves.
   */
  startSnapshots(): void {
    const start = this.pendingSnapshotter;
    this.pendingSnapshotter = undefined;
    start?.();
  }

  /**
   * Per shard, the durable journal records after its newest snapshot: what a restart now would replay for
   * it (the newest stored since this start, else the one this start recovered from, else position 0).
   * What bounds a restart's time (docs/OPERATOR.md, "Restarting"); the snapshotter trails a saturated
   * shard, so this can exceed the policy's `everyRecords`.
   */
  replayBacklog(): number[] {
    const j = this.journal;
    return this.cut.positions.map((cut, x) => {
      let from = this.bases[x]?.info.position ?? 0;
      for (const t of this.snapshotter?.taken ?? []) if (t.info.shard === x && t.info.position > from) from = t.info.position;
      // The watermark holds a cut's low 32 bits: the difference modulo 2^32 is exact below 2^32 records.
      return j ? (j.watermark.cutLow(x) - (from % 2 ** 32)) >>> 0 : Math.max(0, cut - from);
    });
  }


  get maxLagRecords(): number {
    return this.o.maxLagRecords ?? 32_768;
  }
}
