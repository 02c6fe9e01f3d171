// The random world of the whole-exchange properties, as fast-check arbitraries: a population (traders
// with deposits, margin modes and leverages, two well-funded market makers, an insurance fund and its
// per-event cap, the topology) and a list of actions. Actions are relative (price offsets in basis points
// of the current mark, sizes as fractions of what the trader's margin buys, "the k-th open order"), so
// the driver (action-driver.ts) turns each into a valid-looking command whatever state the exchange is in.
// Plain integers only: every amount becomes ticks, lots or atoms by integer arithmetic in the driver.

import fc from 'fast-check';

export interface TraderSpec {
  readonly depositUsdt: number;
  /** Per market (index 0: BTC-PERP, 1: ETH-PERP). */
  readonly isolated: readonly boolean[];
  readonly leverage: readonly number[];
}

export interface Population {
  readonly traders: readonly TraderSpec[];
  readonly insuranceTopUpUsdt: number;
  readonly perEventCapUsdt: number;
  /** 1: BTC-PERP only; 2: BTC-PERP and ETH-PERP. */
  readonly markets: 1 | 2;
  readonly marketShards: 1 | 2;
  readonly riskShards: 1 | 2;
}

export type Action =
  | { readonly kind: 'quote'; readonly mm: number; readonly market: number; readonly levels: number; readonly stepBps: number; readonly lots: number }
  | { readonly kind: 'limit'; readonly trader: number; readonly market: number; readonly buy: boolean; readonly offsetBps: number; readonly eighths: number; readonly tif: 'GTC' | 'IOC' | 'POST_ONLY'; readonly reduceOnly: boolean }
  | { readonly kind: 'market'; readonly trader: number; readonly market: number; readonly buy: boolean; readonly eighths: number; readonly reduceOnly: boolean }
  | { readonly kind: 'cancel'; readonly trader: number; readonly market: number; readonly pick: number }
  | { readonly kind: 'cancelAll'; readonly trader: number; readonly market: number }
  | { readonly kind: 'amend'; readonly trader: number; readonly market: number; readonly pick: number; readonly offsetBps: number; readonly eighths: number }
  | { readonly kind: 'index'; readonly market: number; readonly moveBps: number }
  | { readonly kind: 'tick'; readonly seconds: number }
  | { readonly kind: 'deposit'; readonly trader: number; readonly usdt: number }
  | { readonly kind: 'withdraw'; readonly trader: number; readonly usdt: number }
  | { readonly kind: 'leverage'; readonly trader: number; readonly market: number; readonly leverage: number }
  | { readonly kind: 'isolatedMargin'; readonly trader: number; readonly market: number; readonly usdt: number }
  | { readonly kind: 'mode'; readonly trader: number; readonly market: number; readonly isolated: boolean };

const MAX_TRADERS = 8;

const trader = fc.record({
  depositUsdt: fc.integer({ min: 200, max: 60_000 }),
  isolated: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
  leverage: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 2, maxLength: 2 }),
});

export interface WorldOptions {
  /** Allow 2 risk shards and 2 market shards. */
  readonly shards: boolean;
  /** Weight of index jumps (moves of 5-30%) among index moves, percent. */
  readonly jumpPercent: number;
}

function populationArb(o: WorldOptions): fc.Arbitrary<Population> {
  return fc.record({
    traders: fc.array(trader, { minLength: 3, maxLength: MAX_TRADERS }),
    insuranceTopUpUsdt: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30_000 })),
    perEventCapUsdt: fc.oneof(fc.integer({ min: 1, max: 2_000 }), fc.constant(1_000_000)),
    markets: fc.constantFrom<1 | 2>(1, 2),
    marketShards: o.shards ? fc.constantFrom<1 | 2>(1, 2) : fc.constant<1>(1),
    riskShards: o.shards ? fc.constantFrom<1 | 2>(1, 2) : fc.constant<1>(1),
  });
}

const who = fc.integer({ min: 0, max: MAX_TRADERS - 1 });
const market = fc.integer({ min: 0, max: 1 });
const eighths = fc.integer({ min: 1, max: 8 });

function actionArb(o: WorldOptions): fc.Arbitrary<Action> {
  const step = fc.integer({ min: -150, max: 150 });
  const jump = fc.oneof(fc.integer({ min: -3_000, max: -500 }), fc.integer({ min: 500, max: 2_000 }));
  const move = o.jumpPercent > 0 ? fc.oneof({ arbitrary: step, weight: 100 - o.jumpPercent }, { arbitrary: jump, weight: o.jumpPercent }) : step;
  return fc.oneof(
    { weight: 14, arbitrary: fc.record({ kind: fc.constant('quote' as const), mm: fc.integer({ min: 0, max: 1 }), market, levels: fc.integer({ min: 1, max: 5 }), stepBps: fc.integer({ min: 2, max: 150 }), lots: fc.integer({ min: 1, max: 3_000 }) }) },
    {
      weight: 24,
      arbitrary: fc.record({
        kind: fc.constant('limit' as const),
        trader: who,
        market,
        buy: fc.boolean(),
        offsetBps: fc.integer({ min: -300, max: 300 }),
        eighths,
        tif: fc.constantFrom('GTC' as const, 'IOC' as const, 'POST_ONLY' as const),
        reduceOnly: fc.boolean(),
      }),
    },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('market' as const), trader: who, market, buy: fc.boolean(), eighths, reduceOnly: fc.boolean() }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('cancel' as const), trader: who, market, pick: fc.nat(20) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancelAll' as const), trader: who, market }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('amend' as const), trader: who, market, pick: fc.nat(20), offsetBps: fc.integer({ min: -300, max: 300 }), eighths }) },
    { weight: 18, arbitrary: fc.record({ kind: fc.constant('index' as const), market, moveBps: move }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 45 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('deposit' as const), trader: who, usdt: fc.integer({ min: 1, max: 20_000 }) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), trader: who, usdt: fc.integer({ min: 1, max: 10_000 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('leverage' as const), trader: who, market, leverage: fc.integer({ min: 1, max: 50 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('isolatedMargin' as const), trader: who, market, usdt: fc.integer({ min: -2_000, max: 2_000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('mode' as const), trader: who, market, isolated: fc.boolean() }) },
  );
}

export interface World {
  readonly population: Population;
  readonly actions: readonly Action[];
}

export function worldArb(o: WorldOptions, minActions: number, maxActions: number): fc.Arbitrary<World> {
  return fc.record({ population: populationArb(o), actions: fc.array(actionArb(o), { minLength: minActions, maxLength: maxActions }) });
}
