// DetectorHooks: one market's detectors grouped by the hooks they implement, so each record calls only
// the detectors that want it (most implement two or three of the five hooks) instead of asking all ten
// whether they have one. The order within each group is the detectors' order, as before.

import type { Detector } from './detector.js';
import type { TradeView } from './market-watch.js';
import type { WatchedOrder } from './watched-order.js';

export class DetectorHooks {
  private readonly onAccepted: Detector[];
  private readonly onAmended: Detector[];
  private readonly onTraded: Detector[];
  private readonly onEnded: Detector[];
  private readonly onTick: Detector[];

  constructor(readonly all: readonly Detector[]) {
    this.onAccepted = all.filter((d) => d.accepted !== undefined);
    this.onAmended = all.filter((d) => d.amended !== undefined);
    this.onTraded = all.filter((d) => d.traded !== undefined);
    this.onEnded = all.filter((d) => d.ended !== undefined);
    this.onTick = all.filter((d) => d.tick !== undefined);
  }

  accepted(o: WatchedOrder): void {
    const ds = this.onAccepted;
    for (let i = 0; i < ds.length; i++) ds[i]!.accepted!(o);
  }

  amended(o: WatchedOrder, oldPriceTicks: number, oldQtyLots: number): void {
    const ds = this.onAmended;
    for (let i = 0; i < ds.length; i++) ds[i]!.amended!(o, oldPriceTicks, oldQtyLots);
  }

  traded(t: TradeView, taker: WatchedOrder | undefined, maker: WatchedOrder | undefined): void {
    const ds = this.onTraded;
    for (let i = 0; i < ds.length; i++) ds[i]!.traded!(t, taker, maker);
  }

  ended(o: WatchedOrder): void {
    const ds = this.onEnded;
    for (let i = 0; i < ds.length; i++) ds[i]!.ended!(o);
  }

  tick(nowUs: number): void {
    const ds = this.onTick;
    for (let i = 0; i < ds.length; i++) ds[i]!.tick!(nowUs);
  }
}
