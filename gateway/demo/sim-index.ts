// The index when no oracle runs (`npm start` without --oracle): per market a seeded random walk of a few
// rungs a second, sent as UpdateIndexPrice each second; with swings (the demo), one market at a time gaps
// by `swingPermille` thousandths (up, back, down, back), alternating markets, so leveraged accounts on
// the wrong side get liquidated. Integers only; the walk never leaves [50 rungs, maxPriceTicks].

import type { MarketConfig } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { below, rng, type Rng } from '../../engine/sim/rng.js';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';

export interface SimMarket {
  readonly market: MarketConfig;
  readonly startTicks: number;
  /** One step of the walk and of the demo's quote ladders, in ticks. */
  readonly rungTicks: number;
}

export class SimIndex {
  private readonly mids = new Map<number, number>();
  private readonly r: Rng;
  private readonly buf = RecordBuffer.allocate(1);
  private swings = 0;
  /** Per market, the direction of its last swing: 1 up, -1 down, 0 none yet. */
  private readonly lastSwing = new Map<number, number>();
  /** Index ticks the exchange could not take (a full ring): the next second sends a fresh one. */
  skipped = 0;
  /** A swing announced and not yet sent: applied by the next tick, and only then seen by the bots. */
  private pending: { id: number; mid: number; direction: number } | undefined;

  constructor(
    readonly markets: readonly SimMarket[],
    seed: number,
    private readonly swingPermille = 80,
  ) {
    this.r = rng(seed);
    for (const m of markets) this.mids.set(m.market.marketId, m.startTicks);
  }

  /**
   * Continues a market's walk from the index a recovered shard holds (a restart): starting again from the
   * configured price would move the index, and so the mark, by however far the walk had gone (3.7% on ETH
   * after a 35-second demo), liquidating accounts the exchange had left solvent. A price outside the walk's
   * range, or of a market it does not know, is ignored.
   */
  resume(marketId: number, indexTicks: number): void {
    const m = this.markets.find((x) => x.market.marketId === marketId);
    if (m === undefined || !Number.isSafeInteger(indexTicks) || indexTicks < m.rungTicks * 50 || indexTicks > m.market.maxPriceTicks) return;
    this.mids.set(marketId, indexTicks);
  }

  midOf(marketId: number): number {
    return this.mids.get(marketId) ?? 0;
  }

  /** The direction of a market's last swing: 1 up, -1 down, 0 before the first. */
  lastSwingOf(marketId: number): number {
    return this.lastSwing.get(marketId) ?? 0;
  }

  /** True while a swing of this market is announced and its tick not yet sent (the makers stay out). */
  swingPending(marketId: number): boolean {
    return this.pending?.id === marketId;
  }

  rungOf(marketId: number): number {
    return this.markets.find((m) => m.market.marketId === marketId)?.rungTicks ?? 1;
  }

  /**
   * One step of every market's walk, and the index ticks for it (the once-a-second duty); only for the
   * markets `sends` takes (those whose index source is the walk: oracle/index-sources.ts). Every walk
   * steps either way, so the random stream does not depend on which markets are sent.
   */
  tick(exchange: Pick<ThreadedExchange, 'offer' | 'flush'>, timeUs: number, sends: (marketId: number) => boolean = () => true): void {
    const p = this.pending;
    this.pending = undefined;
    for (const m of this.markets) {
      const id = m.market.marketId;
      // The swing moves the mid (and the thin takers' trend) as its tick goes out, not before: bots that
      // saw it a second early bought before the index rose and sold before it fell, so the swings that
      // should liquidate them paid them instead.
      if (p !== undefined && p.id === id) {
        this.mids.set(id, p.mid);
        this.lastSwing.set(id, p.direction);
      }
      const next = this.mids.get(id)! + (below(this.r, 7) - 3) * m.rungTicks;
      this.mids.set(id, Math.min(m.market.maxPriceTicks, Math.max(m.rungTicks * 50, next)));
      if (!sends(id)) continue;
      encodeRecord(this.buf, 0, UpdateIndexPriceLayout, { marketId: id, timeUs }, { indexPriceTicks: this.mids.get(id)!, sourcesUsed: 3, stale: 0 });
      if (!exchange.offer(this.buf, 0)) this.skipped++;
    }
    exchange.flush();
  }

  /** The next swing: which market, and by how many thousandths (the next tick carries it). */
  swing(): { market: MarketConfig; permille: number } {
    // Swings come in pairs on one market, a move then its return, markets taking turns: positions chased
    // at the moved level meet the return one swing later (a newcomer sees a liquidation at the second
    // swing). Per market the pairs alternate up-back and down-back, so the index visits start ± the swing.
    const pair = Math.floor(this.swings / 2);
    const m = this.markets[pair % this.markets.length]!;
    const upFirst = Math.floor(pair / this.markets.length) % 2 === 0;
    const permille = (this.swings % 2 === 0) === upFirst ? this.swingPermille : -this.swingPermille;
    this.swings++;
    const id = m.market.marketId;
    this.pending = { id, mid: Math.min(m.market.maxPriceTicks, Math.max(m.rungTicks * 50, Math.floor((this.mids.get(id)! * (1000 + permille)) / 1000))), direction: Math.sign(permille) };
    return { market: m.market, permille };
  }
}
