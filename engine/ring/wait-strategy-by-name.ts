// Wait strategies by name: how configuration (and workerData, which carries no classes) picks one.

import { BusySpin } from './busy-spin.js';
import { Park } from './park.js';
import { DEFAULT_PARK_TIMEOUT_MS, DEFAULT_SPINS, SpinThenPark } from './spin-then-park.js';
import type { WaitStrategy } from './wait-strategy.js';

export const WAIT_STRATEGY_NAMES = ['busy-spin', 'spin-then-park', 'park'] as const;
export type WaitStrategyName = (typeof WAIT_STRATEGY_NAMES)[number];

export interface WaitStrategyOptions {
  /** Empty polls before parking (spin-then-park only). Default DEFAULT_SPINS. */
  spins?: number;
  /** Longest single park (spin-then-park, park). Default DEFAULT_PARK_TIMEOUT_MS. */
  parkTimeoutMs?: number;
}

/** A fresh strategy instance (they hold per-loop state): call once per waiting site. */
export function waitStrategyByName(name: WaitStrategyName, options: WaitStrategyOptions = {}): WaitStrategy {
  const timeoutMs = options.parkTimeoutMs ?? DEFAULT_PARK_TIMEOUT_MS;
  switch (name) {
    case 'busy-spin':
      return new BusySpin();
    case 'spin-then-park':
      return new SpinThenPark(options.spins ?? DEFAULT_SPINS, timeoutMs);
    case 'park':
      return new Park(timeoutMs);
  }
}

export function isWaitStrategyName(name: string): name is WaitStrategyName {
  return (WAIT_STRATEGY_NAMES as readonly string[]).includes(name);
}
