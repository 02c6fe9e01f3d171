// Detector: one manipulation pattern, watched over one market's event stream. The engine
// (surveillance-engine.ts) keeps the market's view (market-watch.ts: L2 book, open orders, touch tape,
// clock) and calls each detector's hooks in a fixed order for every record; a detector keeps only the
// state its pattern needs and raises alerts through the market watch.
//
// Contract (what keeps replays exact and memory bounded):
// - No clock, no randomness: time is MarketWatch.timeUs (the records' own). Integer arithmetic.
// - A WatchedOrder passed to a hook is the engine's pooled object: a detector may hold it while the order
//   is open and must drop it in ended() (copy evidence() first if it needs the order later).
// - State per account is dropped once the account has been idle for the detector's window (tick()).
// - One detector instance per market (the engine builds them with the market's watch).

import type { DetectorId } from './alert.js';
import type { TradeView } from './market-watch.js';
import type { WatchedOrder } from './watched-order.js';

export interface Detector {
  readonly id: DetectorId;
  /** An order was accepted (its touch and near-touch depth are those just before it arrived). */
  accepted?(o: WatchedOrder): void;
  amended?(o: WatchedOrder, oldPriceTicks: number, oldQtyLots: number): void;
  /** A trade; taker or maker is undefined when the order was not seen accepted (ADL, or before start). */
  traded?(t: TradeView, taker: WatchedOrder | undefined, maker: WatchedOrder | undefined): void;
  /** The order ended: cancelled or expired (o.endReason) or filled out (endReason 0). Drop o after this. */
  ended?(o: WatchedOrder): void;
  /** The market's clock passed another tick (MarketWatch.TICK_US): close episodes, drop idle state. */
  tick?(nowUs: number): void;
  /** Counts of what the detector holds, for the state hash and the memory figures. */
  size(): number;
}
