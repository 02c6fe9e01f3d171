// The rings and doorbells of a threaded exchange, laid out once from its shape: one ring per direction
// between the gateway and every shard and between every risk and market shard, one doorbell per market
// worker thread (its shards share it) and per risk shard. ThreadedExchange.start() hands them out.

import { Doorbell } from '../engine/ring/doorbell.js';
import { RingBuffer } from '../engine/ring/ring-buffer.js';

export interface RingWiring {
  readonly gatewayBell: Doorbell;
  /** Per market shard: the doorbell of the worker thread it runs on. */
  readonly marketBells: Doorbell[];
  readonly riskBells: Doorbell[];
  readonly gatewayToMarket: RingBuffer[];
  readonly gatewayToRisk: RingBuffer[];
  /** [risk shard][market shard] */
  readonly riskToMarket: RingBuffer[][];
  /** [market shard][risk shard] */
  readonly marketToRisk: RingBuffer[][];
  /** Per market shard, its gateway-bound ring (with surveillance, one with two consumers). */
  readonly marketGateway: RingBuffer[];
}

/**
 * Lays out the rings of S market shards on the worker `groups`, R risk shards, rings of `capacity`
 * slots; `gatewayRing` makes a market shard's gateway-bound ring when something else must (surveillance).
 */
export function wireRings(S: number, R: number, groups: readonly (readonly number[])[], capacity: number, gatewayRing?: () => RingBuffer): RingWiring {
  const ring = () => RingBuffer.create(capacity);
  const marketBells: Doorbell[] = [];
  for (const g of groups) {
    const bell = Doorbell.create();
    for (const s of g) marketBells[s] = bell;
  }
  return {
    gatewayBell: Doorbell.create(),
    marketBells,
    riskBells: Array.from({ length: R }, () => Doorbell.create()),
    gatewayToMarket: Array.from({ length: S }, ring),
    gatewayToRisk: Array.from({ length: R }, ring),
    riskToMarket: Array.from({ length: R }, () => Array.from({ length: S }, ring)),
    marketToRisk: Array.from({ length: S }, () => Array.from({ length: R }, ring)),
    marketGateway: Array.from({ length: S }, gatewayRing ?? ring),
  };
}
