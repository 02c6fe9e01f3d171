// UserStreams: each account's stream of user events (order updates, fills, positions, balances, margin
// calls, liquidation and ADL notices) with its own contiguous `seq` from 1 within an `epoch` (the
// gateway's start time in µs: a restarted gateway starts a new epoch). Every event is encoded once and
// sent to every session of the account; the newest `replayCap` frames are kept so a client that
// reconnects with the last (epoch, seq) it saw gets exactly the frames after it. When they are no longer
// kept (or the epoch is another), it gets a `userSnapshot` (open orders, positions, balance, and the seq
// it stands at) and the live events after it: a client never misses a fill without knowing it.
//
// The kept frames' bytes are cut from one arena per account (frame-arena.ts), not an ArrayBuffer each.

import type { FrameCodec } from '../protocol/codec.js';
import type { UserEventKind } from '../protocol/messages.js';
import type { AccountViews, EventSink } from './account-views.js';
import { FrameArena } from './frame-arena.js';
import { writeOrderEvent } from './order-frame.js';
import type { OrderView } from './order-view.js';

export interface StreamSink {
  /** False when the frame could not be queued (the sink closes itself). */
  send(frame: Uint8Array): boolean;
}

interface Stream {
  seq: number;
  /** The newest frames (a ring: seq q at (q - 1) % replayCap), from firstSeq to seq. */
  frames: Uint8Array[];
  firstSeq: number;
  sinks: Set<StreamSink>;
  /** Where the kept frames' bytes are cut from (one chunk serves many frames). */
  arena: FrameArena;
}

export type ResumeOutcome = 'replayed' | 'snapshot';

export class UserStreams implements EventSink {
  private readonly streams = new Map<number, Stream>();
  /** Frames sent to sinks (for metrics). */
  framesOut = 0;

  constructor(
    readonly epoch: number,
    private readonly codec: FrameCodec,
    private readonly views: AccountViews,
    private readonly replayCap = 1_024,
  ) {}

  private stream(accountId: number): Stream {
    let s = this.streams.get(accountId);
    if (s === undefined) this.streams.set(accountId, (s = { seq: 0, frames: [], firstSeq: 1, sinks: new Set(), arena: new FrameArena() }));
    return s;
  }

  seqOf(accountId: number): number {
    return this.streams.get(accountId)?.seq ?? 0;
  }

  publish(accountId: number, kind: UserEventKind, body: Readonly<object>): void {
    const s = this.stream(accountId);
    s.seq++;
    this.keep(s, this.codec.encodeJoined({ t: 'user', epoch: this.epoch, seq: s.seq, kind }, body, s.arena.alloc));
  }

  publishOrder(accountId: number, o: Readonly<OrderView>): void {
    const s = this.stream(accountId);
    s.seq++;
    const b = writeOrderEvent(this.codec.writer, this.epoch, s.seq, o);
    const frame = s.arena.alloc(b.length);
    frame.set(b);
    this.keep(s, frame);
  }

  /** Keeps the stream's newest frame for replay and sends it to the account's sessions. */
  private keep(s: Stream, frame: Uint8Array): void {
    // A ring of replayCap frames: seq q lives at (q - 1) % replayCap.
    s.frames[(s.seq - 1) % this.replayCap] = frame;
    if (s.seq - s.firstSeq >= this.replayCap) s.firstSeq++;
    for (const sink of s.sinks) if (sink.send(frame)) this.framesOut++;
  }

  /** Whether the frames after `from` are all still kept (a resume replays them rather than a snapshot). */
  canReplay(accountId: number, from: { epoch: number; seq: number }): boolean {
    const s = this.streams.get(accountId);
    const seq = s?.seq ?? 0;
    const first = s?.firstSeq ?? 1;
    return from.epoch === this.epoch && from.seq <= seq && from.seq >= first - 1;
  }

  /**
   * Attaches a session to its account's stream, first catching it up: the frames after `from` when they
   * are all kept, else a snapshot. Without `from` nothing is replayed (a fresh login starts live).
   */
  attach(accountId: number, sink: StreamSink, from?: { epoch: number; seq: number }): ResumeOutcome | undefined {
    const s = this.stream(accountId);
    s.sinks.add(sink);
    if (from === undefined) return undefined;
    if (this.canReplay(accountId, from)) {
      for (let q = from.seq + 1; q <= s.seq; q++) sink.send(s.frames[(q - 1) % this.replayCap]!);
      return 'replayed';
    }
    sink.send(this.snapshotFrame(accountId));
    return 'snapshot';
  }

  detach(accountId: number, sink: StreamSink): void {
    this.streams.get(accountId)?.sinks.delete(sink);
  }

  snapshotFrame(accountId: number): Uint8Array {
    const v = this.views.get(accountId);
    return this.codec.encode({
      t: 'userSnapshot',
      epoch: this.epoch,
      seq: this.seqOf(accountId),
      orders: v ? [...v.open.values()] : [],
      positions: v ? [...v.positions.values()] : [],
      balance: v?.balance ?? null,
    });
  }
}
