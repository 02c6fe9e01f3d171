// What an injected episode works with: the driver (the market), the scheduler (its later steps), a seeded
// generator, fresh account ids, and the book as it is when a step runs (prices are chosen then, not when
// the episode is planned, so every step fits the market it meets).

import { Side, TimeInForce } from '../../../engine/enums.js';
import type { Book } from '../../../engine/book/types.js';
import { below, type Rng } from '../../../engine/sim/rng.js';
import type { SurveillanceDriver } from '../../../test/support/surveillance-driver.js';
import type { OrderOutcome, Outcomes } from './outcomes.js';
import type { Scheduler } from './scheduler.js';

export const Size = { SMALL: 'small', MEDIUM: 'medium', LARGE: 'large' } as const;
export type Size = (typeof Size)[keyof typeof Size];
export const SIZES: readonly Size[] = [Size.SMALL, Size.MEDIUM, Size.LARGE];

export class EpisodeContext {
  private nextAccount: number;
  /** Orders the harness's own (manipulative) accounts placed. */
  manipulativeOrders = 0;

  constructor(
    readonly d: SurveillanceDriver,
    readonly s: Scheduler,
    readonly r: Rng,
    readonly marketId: number,
    firstAccount: number,
    /** What became of the manipulative orders (episodes' `shortfall`); none: not followed. */
    readonly outcomes?: Outcomes,
  ) {
    this.nextAccount = firstAccount;
  }

  account(): number {
    return this.nextAccount++;
  }

  book(): Book {
    return this.d.shard.book(this.marketId)!;
  }

  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + below(this.r, hi - lo + 1);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[below(this.r, xs.length)]!;
  }

  /**
   * The typical resting order near the touch now, lots (the surveillance engine's own figure, both sides
   * averaged; the running average when the book is empty), at least 1: what episodes scale their sizes by.
   */
  avgLots(): number {
    const m = this.d.engine.market(this.marketId);
    if (m === undefined) return 1;
    const bid = m.typicalLots(0);
    const ask = m.typicalLots(1);
    const typical = bid > 0 && ask > 0 ? Math.floor((bid + ask) / 2) : bid || ask || m.avgOrderLots;
    return Math.max(1, typical);
  }

  /** The typical resting order near the touch of one side now (lots, at least 1; avgLots() when that side is bare). */
  typicalOf(side: Side): number {
    const t = this.d.engine.market(this.marketId)?.typicalLots(side) ?? 0;
    return t > 0 ? t : this.avgLots();
  }

  mid(): number {
    const b = this.book();
    const bid = b.bestBid();
    const ask = b.bestAsk();
    return bid > 0 && ask > 0 ? Math.floor((bid + ask) / 2) : bid || ask || b.lastTradePrice();
  }

  /** bps of the current mid, in ticks (at least 1). */
  bps(n: number): number {
    return Math.max(1, Math.floor((this.mid() * n) / 10_000));
  }

  /** Tenths of a bp of the current mid, in ticks (at least 1). */
  tenthsOfBps(n: number): number {
    return Math.max(1, Math.floor((this.mid() * n) / 100_000));
  }

  /** A price strictly inside the spread (undefined when the spread is one tick or a side is empty). */
  insideSpread(): number | undefined {
    const b = this.book();
    const bid = b.bestBid();
    const ask = b.bestAsk();
    if (bid === 0 || ask === 0 || ask - bid < 2) return undefined;
    return bid + 1 + below(this.r, ask - bid - 1);
  }

  /** Lots resting on `side` within `ticks` of its best price. */
  depthWithin(side: Side, ticks: number): number {
    const levels = this.book().levels(side, 200);
    if (levels.length === 0) return 0;
    const best = levels[0]!.priceTicks;
    let lots = 0;
    for (const l of levels) {
      if (Math.abs(l.priceTicks - best) > ticks) break;
      lots += l.qtyLots;
    }
    return lots;
  }

  place(account: number, side: Side, price: number, qty: number, manipulative: boolean): number {
    return this.placed(this.d.peekOrderId(), account, qty, manipulative, () => this.d.place(account, side, price, qty, { marketId: this.marketId }));
  }

  take(account: number, side: Side, price: number, qty: number, manipulative: boolean): number {
    return this.placed(this.d.peekOrderId(), account, qty, manipulative, () => this.d.place(account, side, price, qty, { marketId: this.marketId, timeInForce: TimeInForce.IOC }));
  }

  /** Watches a manipulative order's outcome from before it is sent (it may trade as it arrives). */
  private placed(id: number, account: number, qty: number, manipulative: boolean, send: () => number): number {
    if (manipulative) {
      this.manipulativeOrders++;
      this.outcomes?.watch(id, account, qty);
    }
    return send();
  }

  cancel(account: number, orderId: number): void {
    this.d.cancel(account, orderId, this.marketId);
  }

  /** The outcome of a manipulative order (undefined: not placed, or outcomes not followed). */
  outcome(orderId: number): OrderOutcome | undefined {
    return this.outcomes?.of(orderId);
  }

  /** Runs `step` at startUs + offsetUs. */
  later(startUs: number, offsetUs: number, step: () => void): void {
    this.s.at(startUs + offsetUs, step);
  }
}
