// The words of the risk shard's state hash (risk-state-hash.ts says which state, in which order): a Hasher
// turns the risk state's values into 32-bit words and feeds them to a mixer. Two definitions, one per risk
// snapshot format version, the same words in both:
//
//   version 1   StateHash (engine/book/state-hash.ts: a MurmurHash3-style step on two 32-bit lanes, one
//               chain): what a version-1 snapshot's header holds, still used to check one
//   version 2   LaneHash (lane-hash.ts: four independent lanes): the live definition since risksnap8
//
// The words of a value: an integer number as its 64-bit two's complement (two words), a bigint the same,
// with extra words for the rare value past 64 bits; a number slot (exact-slot.ts) the same words whichever
// of its number or bigint holds the value; an id set its size then its ids ascending; a position's open
// orders their count then each by ascending id.
//
// Kept apart from the walk over the state because the encode and decode of a snapshot hash accounts and
// positions as they pass them (AccountsInStep, state-snapshot.ts positionFields), the liquidation pipeline
// hashes its own state (seams.ts StateWords), and the tests check the mixers and words alone.

import { StateHash } from '../../engine/book/state-hash.js';
import { LaneHash } from './lane-hash.js';
import type { OpenOrderState } from './open-order-state.js';

const MASK_32 = 0xffffffffn;

/**
 * The hash definition of the risk snapshot format this build writes (and of the live state hash). Format 3
 * (listmarket: format 2 with listed markets in CONF) hashes in definition 2, whose words gain the
 * listings' only when there are any.
 */
export const RISK_HASH_VERSION = 2;

/** A mixer of 32-bit words: StateHash (definition 1) or LaneHash (definition 2). */
interface Mixer {
  begin(): void;
  word(w: number): void;
  int(n: number): void;
  digest(): bigint;
}

/** The risk state's words on top of a mixer: bigints, number slots, id sets, open orders. */
export interface Hasher extends Mixer {
  /** The definition: 1 or 2 (the risk snapshot format version). */
  readonly version: number;
  readonly intOf: (v: number) => void;
  big(v: bigint): void;
  exact(n: number, big: bigint | undefined): void;
  value(v: number | bigint): void;
  orders(orders: ReadonlyMap<number, OpenOrderState> | undefined): void;
  ids(values: IdCollection): void;
}

function riskWords(Base: new () => Mixer, version: number): new () => Hasher {
  return class extends Base implements Hasher {
    readonly version = version;
    /** int and hashOrder bound once, so the per-account loops pass them without making a closure each. */
    readonly intOf = (v: number): void => this.int(v);
    readonly openOrder = hashOrder.bind(this);

    big(v: bigint): void {
      const low = BigInt.asUintN(64, v);
      this.word(Number(low & MASK_32));
      this.word(Number(low >> 32n));
      if (BigInt.asIntN(64, v) !== v) {
        // Past 64 bits: the rest, then a marker so such values cannot collide with two in-range ones.
        this.big(v >> 64n);
        this.word(0x7fffffff);
      }
    }

    /**
     * A number slot's value (exact-slot.ts): the same words big() writes for it (int() of a safe integer is
     * big() of its bigint: both write the two's-complement halves), without making a bigint.
     */
    exact(n: number, big: bigint | undefined): void {
      if (n === n) this.int(n);
      else this.big(big!);
    }

    /** An exact integer as a number or a bigint: the same words either way (see exact). */
    value(v: number | bigint): void {
      if (typeof v === 'number') this.int(v);
      else this.big(v);
    }

    /** A position's open orders: their count, then each by ascending id. */
    orders(orders: ReadonlyMap<number, OpenOrderState> | undefined): void {
      this.int(orders === undefined ? 0 : orders.size);
      if (orders !== undefined && orders.size === 1) orders.forEach(this.openOrder);
      else if (orders !== undefined && orders.size > 1) for (const o of [...orders.values()].sort((x, y) => x.orderId - y.orderId)) this.openOrder(o);
    }

    ids(values: IdCollection): void {
      // Most sets hold none or one id: no array, no sort, no iterator.
      this.int(values.size);
      if (values.size <= 1) {
        values.forEach(this.intOf);
        return;
      }
      const sorted: number[] = [];
      values.forEach((v) => void sorted.push(v));
      sorted.sort((a, b) => a - b);
      for (let i = 0; i < sorted.length; i++) this.int(sorted[i]!);
    }
  };
}

/** One class per definition, so a process that hashes in one only keeps its call sites monomorphic. */
const HasherV1 = riskWords(StateHash, 1);
const HasherV2 = riskWords(LaneHash, 2);

/** A hasher of definition `version` (1 or 2: the risk snapshot's format version). */
export function newHasher(version: number = RISK_HASH_VERSION): Hasher {
  if (version === 2 || version === 3) return new HasherV2();
  if (version === 1) return new HasherV1();
  throw new RangeError(`risk state hash of format ${version}: this build has 1 to 3`);
}

/** A Set of ids or an IdSet (id-set.ts). */
export interface IdCollection {
  readonly size: number;
  forEach(f: (id: number) => void): void;
}

function hashOrder(this: Hasher, o: OpenOrderState): void {
  const h = this;
  h.int(o.orderId);
  h.int(o.clientOrderId);
  h.word(o.side);
  h.exact(o.priceN, o.priceN === o.priceN ? undefined : o.priceTicks);
  h.exact(o.remainingN, o.remainingN === o.remainingN ? undefined : o.remainingLots);
  h.exact(o.filledN, o.filledN === o.filledN ? undefined : o.filledLots);
  h.word((o.reduceOnly ? 1 : 0) | (o.cancelRequested ? 2 : 0) | (o.origin << 8));
  h.int(o.markBeforeTicks);
  h.int(o.reserveOrderIdBefore);
}
