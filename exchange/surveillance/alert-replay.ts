// Alert replay: an alert's evidence rebuilt from the journal. A market shard's surveillance stream is not
// journaled, but the shard's inputs are, and the shard is deterministic: replaying its journal through a
// fresh shard gives the same stream, record for record and seq for seq. Feeding that stream's records
// 1..toSeq through a fresh surveillance engine raises the alert again, with the same id and the same
// evidence (the engine reads no clock: its time is the records'). This is how an operator, or an
// auditor, checks an alert against what the venue recorded, not against what the alert itself says.
//
// The operator's beneficial-owner links (SetBeneficialOwner) go to the surveillance worker only and are
// not journaled: a replay of an alert that rests on links (wash-linked, front-running) is given them
// instead, either as they changed over time (`ownerChanges`, from the alert store's owner log: each
// change applied before the first record stamped at or after the time it took effect, as the live worker
// had it), or as a set in force from the stream's start (`owners`: what a restarted worker is given, so
// what an alert a restart raised rests on). Timer ticks are not journaled either: an alert a tick raised (an episode closed
// by time passing, with no record of its market after it) is raised in the replay by one tick at its
// end, after its last record, which moves the market's clock exactly to the alert's end. The replay is
// exact when no tick overtook the market's own records (the engine's tick grace exists for that). The
// replay starts at the stream's first record (no surveillance snapshot).

import { AdvanceTimeLayout } from '../../engine/ring/layouts/advance-time.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer, type RecordBuffer as RB } from '../../engine/ring/record.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import type { ShardLog } from '../../persistence/journal-reader.js';
import type { Alert } from '../../risk/surveillance/alert.js';
import { DEFAULT_TICK_GRACE_US, SurveillanceEngine, type SurveillanceConfig } from '../../risk/surveillance/surveillance-engine.js';
import { replayShard, type ReplayConfig } from '../journal-replay.js';
import type { OwnerChange } from './owner-links.js';

/** Hands each surveillance record, stamped with its seq, to the engine, up to and including `lastSeq`. */
class EngineFeed implements EventOutput {
  nextSeq = 1;
  private readonly one = RecordBuffer.allocate(1);

  private nextChange = 0;

  constructor(
    private readonly engine: SurveillanceEngine,
    private readonly stream: number,
    private readonly lastSeq: number,
    private readonly changes: readonly OwnerChange[],
  ) {}

  /** Applies the link changes in force by `timeUs`. */
  linksUntil(timeUs: number): void {
    for (; this.nextChange < this.changes.length && this.changes[this.nextChange]!.atUs <= timeUs; this.nextChange++) {
      const c = this.changes[this.nextChange]!;
      this.engine.owners.set(c.accountId, c.ownerId);
    }
  }

  append(src: RB, at: number): void {
    const seq = this.nextSeq++;
    if (seq > this.lastSeq) return;
    this.linksUntil(src.timeUs(at));
    this.one.copyFrom(src, at, 0);
    this.one.setSeq(0, seq);
    this.engine.handle(this.one, 0, this.stream);
  }

  flush(): void {}
}

export interface AlertReplayOptions {
  /** The engine's settings when the alert was raised (default: the defaults). */
  readonly config?: SurveillanceConfig;
  /** Beneficial-owner links in force from the stream's start: [account, owner]. */
  readonly owners?: readonly (readonly [number, number])[];
  /** Changes of links as they took effect (after `owners`), oldest first: owner-links.ts, ownerHistory. */
  readonly ownerChanges?: readonly OwnerChange[];
}

/**
 * Replays the journal of the market shard that produced `alert` (log: that shard's ShardLog) to the
 * alert's last record and returns the alerts raised with its id (one when the evidence holds; none when
 * the journal does not reproduce it). `log.shard` must be market shard `alert.stream - 1`.
 */
export function replayAlert(c: ReplayConfig, log: ShardLog, alert: Alert, o: AlertReplayOptions = {}): Alert[] {
  if (log.shard !== alert.stream - 1) throw new RangeError(`alert ${alert.id} comes from market shard ${alert.stream - 1}, the log is shard ${log.shard}'s`);
  const found: Alert[] = [];
  const engine = new SurveillanceEngine((a) => {
    if (a.id === alert.id) found.push(a);
  }, o.config);
  for (const [account, owner] of o.owners ?? []) engine.owners.set(account, owner);
  const feed = new EngineFeed(engine, alert.stream, alert.toSeq, o.ownerChanges ?? []);
  replayShard(c, log, log.count, undefined, feed);
  if (found.length === 0) {
    const tick = RecordBuffer.allocate(1);
    const timeUs = alert.toUs + (o.config?.tickGraceUs ?? DEFAULT_TICK_GRACE_US);
    encodeRecord(tick, 0, AdvanceTimeLayout, { timeUs, seq: 1 }, {});
    feed.linksUntil(timeUs);
    engine.handle(tick, 0, 0);
  }
  return found;
}
