// DetectorHooks: one market's detectors grouped by the hooks they implement, so each record calls only
// the detectors that want it (most implement two or three of the five hooks) instead of asking all ten
// whether they have one. The order within each group is the detectors' order, as before. Each group holds
// the detectors' bound methods: a loop calling a method of five or seven detector classes through one
// call site did a megamorphic property lookup per call, a call of a function value does none.

import type { Detector } from './detector.js';
import type { TradeView } from './market-watch.js';
import type { WatchedOrder } from './watched-order.js';

export class DetectorHooks {
  private readonly onAccepted: ((o: WatchedOrder) => void)[];
  private readonly onAmended: ((o: WatchedOrder, oldPriceTicks: number, oldQtyLots: number) => void)[];
  private readonly onTraded: ((t: TradeView, taker: WatchedOrder | undefined, maker: WatchedOrder | undefined) => void)[];
  private readonly onEnded: ((o: WatchedOrder) => void)[];
  private readonly onTick: ((nowUs: number) => void)[];

  constructor(readonly all: readonly Detector[]) {
    this.onAccepted = all.filter((d) => d.accepted !== undefined).map((d) => d.accepted!.bind(d));
    this.onAmended = all.filter((d) => d.amended !== undefined).map((d) => d.amended!.bind(d));
    this.onTraded = all.filter((d) => d.traded !== undefined).map((d) => d.traded!.bind(d));
    this.onEnded = all.filter((d) => d.ended !== undefined).map((d) => d.ended!.bind(d));
    this.onTick = all.filter((d) => d.tick !== undefined).map((d) => d.tick!.bind(d));
  }

  accepted(o: WatchedOrder): void {
    const ds = this.onAccepted;
    for (let i = 0; i < ds.length; i++) ds[i]!(o);
  }

  amended(o: WatchedOrder, oldPriceTicks: number, oldQtyLots: number): void {
    const ds = this.onAmended;
    for (let i = 0; i < ds.length; i++) ds[i]!(o, oldPriceTicks, oldQtyLots);
  }

  traded(t: TradeView, taker: WatchedOrder | undefined, maker: WatchedOrder | undefined): void {
    const ds = this.onTraded;
    for (let i = 0; i < ds.length; i++) ds[i]!(t, taker, maker);
  }

  ended(o: WatchedOrder): void {
    const ds = this.onEnded;
    for (let i = 0; i < ds.length; i++) ds[i]!(o);
  }

  tick(nowUs: number): void {
    const ds = this.onTick;
    for (let i = 0; i < ds.length; i++) ds[i]!(nowUs);
  }
}
