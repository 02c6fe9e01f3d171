// The order in which liquidation runs escalate (docs/RISK-SHARD.md, "Escalation order"): one run at a
// time takes steps, in trigger order (ascending liquidation id), and only at the end of a record.
//
// Why: runs escalating at once share the insurance fund's unreserved balance, the ADL candidates (a scope
// in the pipeline is none, and one that leaves it is one again) and the books, and the first to ask gets
// them. When a run stepped as soon as its cancels were answered, which run asked first depended on which
// market shard's answer reached the risk shard first: thread timing. Now a run that reaches a step
// boundary waits there (QUEUED); at the end of each record, after the margin monitor's checks for it, the
// first run in trigger order steps if it waits at a boundary and no run has an order in flight. So only
// one run's order, sweep or Deleverages are ever in flight, their answers come on one market shard's
// stream in one order, and a step never runs between a record's fills and the checks they call for.
//
// A market's input can write many records here (a taker order's fills, a sweep's), and another market's
// record can arrive between two of them. A run stepping there would send its order before the scopes the
// rest of that input makes liquidatable are triggered, or after, depending on arrival: a taker order on
// one market shard triggered scopes while the other market shard's cancel answer let the first run sweep
// (interleaving seeds 473893658 and 271848155). So no run steps while a market stream is in the middle of
// one input's records: the market shard flags every record but an input's last (HeaderFlag.MORE,
// engine/shard/input-end-marker.ts), and the runs step at the end of that last one.
//
// The queue holds every run not parked (CANCELLING, QUEUED, or in flight), by liquidation id. A parked
// run leaves it and re-enters when it is retried. The run in flight is derived state (the one run in a
// STEP_DOWN, FULL_CLOSE or ADL phase), so a snapshot read rebuilds it from the runs.
//
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import { RunPhase, type LiquidationRun } from './liquidation-run.js';
import type { StateWords } from './seams.js';

function inFlightPhase(run: LiquidationRun): boolean {
  return run.phase === RunPhase.STEP_DOWN || run.phase === RunPhase.FULL_CLOSE || run.phase === RunPhase.ADL;
}

export class EscalationOrder {
  /** Runs not parked, ascending liquidation id. Trigger appends (ids only grow); a retried run is inserted. */
  private readonly queue: LiquidationRun[] = [];
  /** The run whose order, sweep or Deleverages are in flight; undefined: none. */
  private inFlight: LiquidationRun | undefined;
  /** Market inputs whose last record here said the same input wrote more (HeaderFlag.MORE), ascending. */
  private readonly openInputs: number[] = [];

  /** A record from `input` was handled; more: its input wrote another record after it on this stream. */
  record(input: number, more: boolean): void {
    // In place, ascending: this runs for every record (a sort and a splice each made garbage per record).
    const open = this.openInputs;
    const i = open.indexOf(input);
    if (more && i < 0) {
      let k = open.length;
      open.push(input);
      for (; k > 0 && open[k - 1]! > input; k--) open[k] = open[k - 1]!;
      open[k] = input;
    } else if (!more && i >= 0) {
      for (let k = i + 1; k < open.length; k++) open[k - 1] = open[k]!;
      open.pop();
    }
  }

  /** The run entered the pipeline, or a parked run was retried. */
  enter(run: LiquidationRun): void {
    const i = this.lowerBound(run.liquidationId);
    if (this.queue[i] !== run) this.queue.splice(i, 0, run);
  }

  /** The run finished or parked. */
  leave(run: LiquidationRun): void {
    const i = this.lowerBound(run.liquidationId);
    if (this.queue[i] === run) this.queue.splice(i, 1);
    if (this.inFlight === run) this.inFlight = undefined;
  }

  /** The run reached a step boundary: it waits there for its turn. */
  queued(run: LiquidationRun): void {
    run.phase = RunPhase.QUEUED;
    if (this.inFlight === run) this.inFlight = undefined;
  }

  /**
   * The run took a step: when the step sent something, the run is in flight until its boundary. A run
   * that finished or parked in that step (its phase may still read FULL_CLOSE: it committed and completed
   * at once) has left the line and holds nothing.
   */
  stepped(run: LiquidationRun): void {
    if (inFlightPhase(run) && this.queue[this.lowerBound(run.liquidationId)] === run) this.inFlight = run;
  }

  /**
   * The run whose turn it is, when it waits at a boundary, nothing is in flight and no market stream is in
   * the middle of an input's records; undefined otherwise.
   */
  next(): LiquidationRun | undefined {
    const head = this.queue[0];
    return this.inFlight === undefined && this.openInputs.length === 0 && head !== undefined && head.phase === RunPhase.QUEUED ? head : undefined;
  }

  /** Market inputs in the middle of one input's records (ascending): while any is, no run steps. */
  get openMarketInputs(): readonly number[] {
    return this.openInputs;
  }

  /**
   * The open market inputs, hashed and written only when there are some: between inputs (every snapshot
   * and hash of a quiet shard) the state reads as it did before the flag existed.
   */
  hashState(h: StateWords): void {
    if (this.openInputs.length === 0) return;
    h.int(this.openInputs.length);
    for (const input of this.openInputs) h.int(input);
  }

  writeState(w: SnapshotWriter): void {
    if (this.openInputs.length === 0) return;
    w.uint(this.openInputs.length);
    for (const input of this.openInputs) w.uint(input);
  }

  /** The open market inputs, when the section has them (a snapshot of a shard between inputs has none). */
  readState(r: SnapshotReader): void {
    if (r.remaining === 0) return;
    const n = r.count(1);
    if (n === 0) throw malformed(`${r.what}: an empty list of open market inputs (never written)`);
    for (let i = 0; i < n; i++) {
      const input = r.uint();
      if (input === 0 || (i > 0 && input <= this.openInputs[i - 1]!)) throw malformed(`${r.what}: open market inputs out of order at ${input}`);
      this.openInputs.push(input);
    }
  }

  /** After a snapshot read: the runs not parked, and the one in flight. */
  rebuild(runs: Iterable<LiquidationRun>): void {
    this.queue.length = 0;
    for (const run of runs) if (run.phase !== RunPhase.WAITING) this.enter(run);
    this.inFlight = this.queue.find(inFlightPhase);
  }

  private lowerBound(liquidationId: number): number {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.queue[mid]!.liquidationId < liquidationId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
