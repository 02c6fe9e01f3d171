// This risk shard's partition of the insurance fund (docs/RISK.md, "Insurance fund") as the liquidation
// pipeline uses it. The balance lives in RiskState.insuranceFundAtoms; every movement goes through
// RiskEffects.transferInsurance, which moves the atoms and publishes InsuranceFundChanged, so the
// published history is complete. This helper decides the amounts:
//
//   budget      a liquidation event reserves what it can still lose: min(its worst-case cost within the
//               price band, per-event cap, unreserved balance), when its full close begins, and tops the
//               reservation up at each later round as marks move (never down) until it settles.
//               Reserving keeps the fund ≥ 0 while several scopes close at once: each one's order limits
//               were set on its own budget, so two must not count on the same atoms. Reserving only the
//               need (not the whole cap) keeps one event of a cascade from starving the others.
//   cover       a shortfall is paid up to the event's reservation and the balance: never more than the
//               per-event cap, never below zero (I5).
//   collect     fees and surplus flow in.
//
// Reservations are looked up by liquidation id and summed in a running total: never iterated.
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import { insuranceBudgetAtoms } from '../liquidation.js';
import type { RiskEffects, StateWords } from './seams.js';
import type { RiskState } from './state.js';

export class InsuranceFund {
  private readonly reservations = new Map<number, bigint>();
  private reservedTotalAtoms = 0n;

  constructor(
    private readonly state: RiskState,
    private readonly effects: RiskEffects,
    private readonly perEventCapAtoms: bigint,
  ) {}

  /** The reservations by liquidation id, ascending (sorting here is for the hash alone, off the hot path). */
  hashState(h: StateWords): void {
    const ids = [...this.reservations.keys()].sort((a, b) => a - b);
    h.int(ids.length);
    for (const id of ids) {
      h.int(id);
      h.big(this.reservations.get(id)!);
    }
    h.big(this.reservedTotalAtoms);
  }

  /** Liquidation events holding a reservation. */
  get reservationCount(): number {
    return this.reservations.size;
  }

  /** Snapshot: the reservations in map order and their running total. */
  writeState(w: SnapshotWriter): void {
    w.uint(this.reservations.size);
    for (const [id, atoms] of this.reservations) {
      w.uint(id);
      w.big(atoms);
    }
    w.big(this.reservedTotalAtoms);
  }

  readState(r: SnapshotReader): void {
    const n = r.count(2);
    let sum = 0n;
    for (let i = 0; i < n; i++) {
      const id = r.uint();
      const atoms = r.big();
      if (this.reservations.has(id) || atoms < 0n) throw malformed(`${r.what}: reservation of liquidation ${id} twice or negative`);
      this.reservations.set(id, atoms);
      sum += atoms;
    }
    this.reservedTotalAtoms = r.big();
    if (sum !== this.reservedTotalAtoms) throw malformed(`${r.what}: reservations sum to ${sum}, total says ${this.reservedTotalAtoms}`);
  }

  balanceAtoms(): bigint {
    return this.state.insuranceFundAtoms;
  }

  /** What no event in progress has reserved; never negative. */
  unreservedAtoms(): bigint {
    const free = this.state.insuranceFundAtoms - this.reservedTotalAtoms;
    return free > 0n ? free : 0n;
  }

  /**
   * Raises the event's reservation towards needAtoms (its worst-case cost now), within the per-event cap
   * and what no other event holds; never lowers it. Returns the event's budget.
   */
  reserve(liquidationId: number, needAtoms: bigint): bigint {
    const held = this.reservations.get(liquidationId) ?? 0n;
    const want = insuranceBudgetAtoms(needAtoms, this.perEventCapAtoms);
    let budget = held;
    if (want > held) {
      const more = want - held;
      const free = this.unreservedAtoms();
      budget = held + (more < free ? more : free);
    }
    this.reservations.set(liquidationId, budget);
    this.reservedTotalAtoms += budget - held;
    return budget;
  }

  /** The event's reserved budget; 0n when it has none. */
  budgetAtoms(liquidationId: number): bigint {
    return this.reservations.get(liquidationId) ?? 0n;
  }

  /** Ends the event's reservation (after it settled, or when it ended healthy). */
  release(liquidationId: number): void {
    const held = this.reservations.get(liquidationId);
    if (held === undefined) return;
    this.reservations.delete(liquidationId);
    this.reservedTotalAtoms -= held;
  }

  /** Takes amountAtoms (> 0) from the scope into the fund; returns it (0n when there is nothing to take). */
  collect(accountId: number, scopeMarketId: number, amountAtoms: bigint, reason: number, liquidationId: number, timeUs: number): bigint {
    if (amountAtoms <= 0n) return 0n;
    this.effects.transferInsurance(accountId, scopeMarketId, amountAtoms, reason, liquidationId, timeUs);
    return amountAtoms;
  }

  /**
   * Pays up to lossAtoms into the scope, limited by the event's reservation and the balance; returns what
   * it paid. What it cannot pay stays with the scope (the caller reports it).
   */
  cover(accountId: number, scopeMarketId: number, lossAtoms: bigint, reason: number, liquidationId: number, timeUs: number): bigint {
    let paid = lossAtoms < this.budgetAtoms(liquidationId) ? lossAtoms : this.budgetAtoms(liquidationId);
    if (paid > this.state.insuranceFundAtoms) paid = this.state.insuranceFundAtoms;
    if (paid <= 0n) return 0n;
    this.effects.transferInsurance(accountId, scopeMarketId, -paid, reason, liquidationId, timeUs);
    return paid;
  }
}
