// RiskShardState: what a risk shard holds that a restarted gateway's read models show (balances, margin
// ratio, positions), as the very records the shard publishes for them: per account an AccountUpdated,
// then a PositionUpdated per position it has held, encoded by the shard's own encoder (risk-events.ts,
// reason STATE) with the figures it holds now. Each record's seq is the gateway-stream seq that
// account's copy stands at: the gateway loads them, then applies only that account's records after it
// (gateway/views/restart-state.ts, docs/ARCHITECTURE.md, "Read models after a restart").
//
// Copied on the shard's own thread between two batches, a slice of accounts per loop turn (as the scan
// snapshot is: risk/stress/scan-snapshot.ts), so a shard of a million accounts keeps handling records
// while it copies; each account is copied whole when its slice runs, with the seq of that moment. The
// accounts are those that existed when the copy started (ascending id): one created later has no state
// before `startSeq`, so all its records count.

import { MemoryOutput } from '../../engine/shard/event-output.js';
import { RECORD_BYTES } from '../../engine/ring/record.js';
import { accountsById } from '../stress/scan-snapshot.js';
import { UpdateReason } from './events.js';
import { RiskEvents } from './risk-events.js';
import type { ShardParts } from './shard-parts.js';
import type { AccountState } from './state.js';

export interface RiskShardState {
  readonly kind: 'risk';
  readonly shard: number;
  /** Journal position after the last input the copy includes (the state is durable once the cut reaches it). */
  readonly position: number;
  /** The gateway-stream seq when the copy started. */
  readonly startSeq: number;
  /** Records in `records`. */
  readonly count: number;
  /** count × 128-byte records (AccountUpdated, PositionUpdated), each seq the seq its account stands at. */
  readonly records: Uint8Array;
}

export class RiskShardStateBuilder {
  private readonly accounts: AccountState[];
  private readonly out = new MemoryOutput(64);
  private readonly events: RiskEvents;
  private next = 0;
  readonly startSeq: number;

  constructor(
    private readonly parts: ShardParts,
    /** The last seq the shard's gateway stream has written, now. */
    private readonly gatewaySeq: () => number,
  ) {
    this.accounts = accountsById(parts.state);
    this.events = new RiskEvents(this.out);
    this.startSeq = gatewaySeq();
  }

  /** Copies up to maxAccounts more accounts; true when every account is copied. */
  step(maxAccounts: number): boolean {
    const end = Math.min(this.accounts.length, this.next + maxAccounts);
    const p = this.parts;
    const timeUs = p.clock.nowUs;
    const seq = this.gatewaySeq();
    for (; this.next < end; this.next++) {
      const account = this.accounts[this.next]!;
      const first = this.out.length;
      this.events.accountUpdated(account, timeUs, p.cross(account), 0, UpdateReason.STATE);
      for (const pos of account.positionsInOrder()) {
        const flat = pos.qtyN === 0 || (pos.qtyN !== pos.qtyN && pos.qtyLots === 0n);
        this.events.positionUpdated(pos, p.state.markets.get(pos.marketId)!, timeUs, UpdateReason.STATE, flat ? undefined : p.scopeOf(account, pos));
      }
      const b = this.out.records;
      for (let i = first; i < this.out.length; i++) b.setSeq(this.out.offsetOf(i), seq);
    }
    return this.next === this.accounts.length;
  }

  finish(shard: number, position: number): RiskShardState {
    const count = this.out.length;
    const records = this.out.records.u8.slice(0, count * RECORD_BYTES);
    return { kind: 'risk', shard, position, startSeq: this.startSeq, count, records };
  }
}
