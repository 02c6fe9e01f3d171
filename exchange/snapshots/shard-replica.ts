// ShardReplica: a second copy of one shard's state machine, fed the shard's durable journal, so a snapshot
// is encoded from it and the live shard never pauses (docs/ARCHITECTURE.md, "Snapshots"). A shard is
// deterministic and its journal holds every input it took in order, so the replica at position p is the
// live shard's state at p: the same state hash, the same bytes.
//
//   fresh (position 0) or decoded from a stored snapshot (position p, outputs continuing its streams)
//   apply(block) ──▶ each record in [position, durable): checksum verified, handled, position + 1
//   encode()     ──▶ codec bytes + the descriptor's fields (position, last seq per input, clock, hash)
//
// Outputs only count (CountingOutput): their next seqs are state, their records go nowhere.
// Thread contract: the snapshotter worker's thread.

import { Code } from '../../engine/codes.js';
import { MarketShard } from '../../engine/shard/market-shard.js';
import { readSnapshotStreams } from '../../engine/snapshot/shard-streams.js';
import { EncodeBuffer } from '../../engine/snapshot/snapshot-writer.js';
import { PersistenceError } from '../../persistence/errors.js';
import type { JournalBlock } from '../../persistence/journal-block.js';
import { journalKey, keyText } from '../../persistence/keys.js';
import { piecesFor, type SnapshotInfo } from '../../persistence/snapshot-store.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import type { ShardLog } from '../../persistence/journal-reader.js';
import { RiskShard } from '../../risk/shard/risk-shard.js';
import { CountingOutput, freshShard, type ReplayConfig } from '../journal-replay.js';

export class ShardReplica {
  private constructor(
    readonly shard: number,
    private readonly machine: MarketShard | RiskShard,
    /** Its output streams to the other kind of shard (not the gateway's), counting. */
    private readonly outputs: readonly CountingOutput[],
    /** The next journal position this replica takes. */
    public position: number,
    /** The latest time of a record it took (a snapshot's time: what --to-time points compare with). */
    public lastTimeUs = 0,
  ) {}

  /** Kept from one encode to the next: a fresh 90 MB buffer per snapshot made V8 mark the whole heap. */
  private readonly encodeBuffer = new EncodeBuffer();

  static fresh(c: ReplayConfig, shard: number): ShardReplica {
    const t = c.topology;
    const outputs = Array.from({ length: shard < t.marketShards ? t.riskShards : t.marketShards }, () => new CountingOutput());
    return new ShardReplica(shard, freshShard(c, shard, new CountingOutput(), outputs), outputs, 0);
  }

  /**
   * From snapshot bytes covering positions [0, position); the decode checks the recorded state hash unless
   * `verifyHash` is false (the snapshotter: the shard's own worker decodes the same bytes and checks it).
   */
  static fromSnapshot(c: ReplayConfig, shard: number, position: number, bytes: Uint8Array, timeUs = 0, verifyHash = true): ShardReplica {
    const { streams } = readSnapshotStreams(bytes);
    const gateway = new CountingOutput();
    gateway.nextSeq = streams.gatewayNextSeq;
    const outputs = streams.outputNextSeqs.map((seq) => Object.assign(new CountingOutput(), { nextSeq: seq }));
    const machine = shard < c.topology.marketShards ? MarketShard.decode(bytes, gateway, outputs, { verifyHash }) : RiskShard.decode(bytes, gateway, outputs, { verifyHash });
    return new ShardReplica(shard, machine, outputs, position, timeUs);
  }

  /** The seq the next record of each output stream (to the other kind of shard) will carry. */
  outputNextSeqs(): number[] {
    return this.outputs.map((o) => o.nextSeq);
  }

  /**
   * Handles the block's records from this replica's position up to `durable` (exclusive), stopping early
   * (before a record) when `pause` says so; returns how many it handled.
   */
  apply(block: JournalBlock, durable: number, pause?: () => boolean): number {
    const m = this.machine;
    const recs = block.records;
    let n = 0;
    if (block.firstPosition > this.position) {
      throw new PersistenceError(Code.JOURNAL_GAP, `shard ${this.shard}: the journal jumps from position ${this.position} to ${block.firstPosition} (snapshotter)`, { shard: this.shard, position: block.firstPosition, expected: this.position });
    }
    for (let i = this.position - block.firstPosition; i < block.count && this.position < durable; i++) {
      if (pause?.()) break;
      const stored = block.storedChecksum(i);
      const actual = block.actualChecksum(i);
      if (stored !== actual) {
        const key = keyText(journalKey(this.shard, block.firstPosition));
        throw new PersistenceError(Code.JOURNAL_CORRUPT, `shard ${this.shard}: record at position ${this.position} in key ${key} fails its checksum (snapshotter)`, { shard: this.shard, key, position: this.position });
      }
      const at = recs.at(i);
      m.handle(recs, at, block.input(i));
      const t = recs.timeUs(at);
      if (t > this.lastTimeUs) this.lastTimeUs = t;
      this.position++;
      n++;
    }
    m.flush();
    return n;
  }

  /** Handles the log's records from this replica's position up to `to` (exclusive). */
  applyLog(log: ShardLog, to: number): void {
    const recs = new RecordBuffer(log.records);
    const inputs = new Uint16Array(log.inputs);
    if (this.position < log.firstPosition || to > log.firstPosition + log.count) throw new RangeError(`shard ${this.shard}: the log holds [${log.firstPosition}, ${log.firstPosition + log.count}), asked for [${this.position}, ${to})`);
    for (; this.position < to; this.position++) {
      const k = this.position - log.firstPosition;
      const at = recs.at(k);
      this.machine.handle(recs, at, inputs[k]!);
      const t = recs.timeUs(at);
      if (t > this.lastTimeUs) this.lastTimeUs = t;
      if ((k & 255) === 255) this.machine.flush();
    }
    this.machine.flush();
  }

  /** The state machine itself, for tools that read its state (never handle records through it). */
  get state(): MarketShard | RiskShard {
    return this.machine;
  }

  /**
   * The state hash; `formatVersion`: in the definition of that snapshot format version (a risk shard's
   * version 1 hashes with the old mixer; a market shard has one definition).
   */
  stateHash(formatVersion?: number): bigint {
    const m = this.machine;
    return formatVersion === undefined || m instanceof MarketShard ? m.stateHash() : m.stateHashAs(formatVersion);
  }

  /**
   * The snapshot of the replica now, and its descriptor. The bytes are a view of a buffer the replica
   * keeps (EncodeBuffer): the next encode overwrites them, so the caller is done with them first (the
   * snapshotter posts them to the store's thread, which copies them, and awaits the store).
   */
  encode(takenAtMs: number): { info: SnapshotInfo; bytes: Uint8Array } {
    const bytes = this.machine.encodeState(this.encodeBuffer);
    const { header, streams } = readSnapshotStreams(bytes);
    const info: SnapshotInfo = {
      version: 1,
      shard: this.shard,
      position: this.position,
      lastSeq: streams.inputs,
      outputNextSeqs: streams.outputNextSeqs,
      clockUs: Math.max(streams.clockUs, this.lastTimeUs),
      takenAtMs,
      stateHash: header.stateHash.toString(16).padStart(16, '0'),
      bytes: bytes.byteLength,
      pieces: piecesFor(bytes.byteLength),
    };
    return { info, bytes };
  }
}
