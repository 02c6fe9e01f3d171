// The detectors one market runs, in the order the engine calls them, with their settings. Every setting
// has a documented default in its detector's file; DetectorSettings overrides some of them.

import type { Detector } from '../detector.js';
import type { MarketWatch } from '../market-watch.js';
import { FAST_CANCEL_DEFAULTS, FastCancelDetector, type FastCancelParams } from './fast-cancels.js';
import { FRONT_RUNNING_DEFAULTS, FrontRunningDetector, type FrontRunningParams } from './front-running.js';
import { LAYERING_DEFAULTS, LayeringDetector, type LayeringParams } from './layering.js';
import { MOMENTUM_DEFAULTS, MomentumIgnitionDetector, type MomentumParams } from './momentum-ignition.js';
import { ORDER_TO_TRADE_DEFAULTS, OrderToTradeDetector, type OrderToTradeParams } from './order-to-trade.js';
import { QUOTE_STUFFING_DEFAULTS, QuoteStuffingDetector, type QuoteStuffingParams } from './quote-stuffing.js';
import { SELF_TRADE_DEFAULTS, SelfTradeAttemptDetector, type SelfTradeParams } from './self-trade-attempts.js';
import { SPOOFING_DEFAULTS, SpoofingDetector, type SpoofingParams } from './spoofing.js';
import { WASH_CIRCULAR_DEFAULTS, WashCircularDetector, type WashCircularParams } from './wash-circular.js';
import { WASH_LINKED_DEFAULTS, WashLinkedDetector, type WashLinkedParams } from './wash-linked.js';

export interface DetectorSettings {
  readonly washLinked?: Partial<WashLinkedParams>;
  readonly washCircular?: Partial<WashCircularParams>;
  readonly selfTrade?: Partial<SelfTradeParams>;
  readonly spoofing?: Partial<SpoofingParams>;
  readonly layering?: Partial<LayeringParams>;
  readonly frontRunning?: Partial<FrontRunningParams>;
  readonly momentum?: Partial<MomentumParams>;
  readonly orderToTrade?: Partial<OrderToTradeParams>;
  readonly fastCancels?: Partial<FastCancelParams>;
  readonly quoteStuffing?: Partial<QuoteStuffingParams>;
}

export function defaultDetectors(m: MarketWatch, s: DetectorSettings = {}): Detector[] {
  return [
    new WashLinkedDetector(m, { ...WASH_LINKED_DEFAULTS, ...s.washLinked }),
    new WashCircularDetector(m, { ...WASH_CIRCULAR_DEFAULTS, ...s.washCircular }),
    new SelfTradeAttemptDetector(m, { ...SELF_TRADE_DEFAULTS, ...s.selfTrade }),
    new SpoofingDetector(m, { ...SPOOFING_DEFAULTS, ...s.spoofing }),
    new LayeringDetector(m, { ...LAYERING_DEFAULTS, ...s.layering }),
    new FrontRunningDetector(m, { ...FRONT_RUNNING_DEFAULTS, ...s.frontRunning }),
    new MomentumIgnitionDetector(m, { ...MOMENTUM_DEFAULTS, ...s.momentum }),
    new OrderToTradeDetector(m, { ...ORDER_TO_TRADE_DEFAULTS, ...s.orderToTrade }),
    new FastCancelDetector(m, { ...FAST_CANCEL_DEFAULTS, ...s.fastCancels }),
    new QuoteStuffingDetector(m, { ...QUOTE_STUFFING_DEFAULTS, ...s.quoteStuffing }),
  ];
}
