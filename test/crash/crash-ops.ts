// The crash client's operations: a seeded, endless load over a few accounts, as clients and an operator
// make it: deposits credited through the operator HTTP (custody request ids), orders of several types,
// cancels and amends by client order id, leverage changes, withdrawals, and the operator's manual index,
// which swings hard enough that thin, leveraged takers are liquidated (and, the insurance fund being
// empty, go to ADL). An operation is plain data, so it can be retried byte for byte after a crash.

import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import type { NewOrder } from '../../gateway/client/types.js';
import { rng } from '../support/seed.js';

/** Accounts by their index in the client: makers (deep pockets), takers (thin margin), the cash account. */
const MAKERS = 4;
const TAKERS = 8;
/** Deposits and withdrawals only: its wallet is exactly what was credited less what was withdrawn. */
export const CASH = MAKERS + TAKERS;
export const ACCOUNTS = CASH + 1;

export type Op =
  | { readonly kind: 'deposit'; readonly key: string; readonly account: number; readonly custodyId: number; readonly usdt: number }
  | { readonly kind: 'place'; readonly key: string; readonly account: number; readonly order: NewOrder & { readonly clientOrderId: number } }
  | { readonly kind: 'cancel'; readonly key: string; readonly account: number; readonly market: number; readonly clientOrderId: number }
  | { readonly kind: 'cancelAll'; readonly key: string; readonly account: number; readonly market: number }
  | { readonly kind: 'amend'; readonly key: string; readonly account: number; readonly market: number; readonly clientOrderId: number; readonly price: number; readonly qty: number }
  | { readonly kind: 'leverage'; readonly key: string; readonly account: number; readonly market: number; readonly leverage: number }
  | { readonly kind: 'withdraw'; readonly key: string; readonly account: number; readonly withdrawalId: number; readonly atoms: bigint }
  | { readonly kind: 'index'; readonly key: string; readonly symbol: string; readonly priceTicks: number };

const MIDS = [600_000, 30_000];
const SYMBOLS = DEFAULT_MARKETS.map((m) => m.symbol);
/** A withdrawal is whole USDT and one atom: a withdrawal applied twice shows in the cash account's wallet's atoms. */
const WITHDRAW_ODD_ATOMS = 1n;
export const ATOMS_PER_USDT = 1_000_000n;

/** Operation i of the load for `seed` (the same for the same seed and the same sequence of take()). */
export class CrashLoad {
  private readonly index = [...MIDS];
  private next = 0;
  /** Each maker's recent resting orders: [market, client order id], the targets of cancels and amends. */
  private readonly resting: [number, number][][] = Array.from({ length: MAKERS }, () => []);
  /** Operations decided together, handed out one take() at a time. */
  private readonly queued: Op[] = [];

  constructor(private readonly seed: number) {}

  /** A swing of a market, to send at once: the harness asks for one while it waits for a liquidation or an ADL. */
  swingNow(): Op[] {
    const i = this.next++;
    const r = rng(this.seed * 7_919 + i);
    return this.swing(i, r() % 2, r);
  }

  /** A small step of market m's index (±0.2%). */
  private step(i: number, m: number, r: () => number): Op {
    this.index[m] = this.index[m]! + Math.trunc((this.index[m]! * ((r() % 5) - 2)) / 1_000);
    return { kind: 'index', key: `i${i}`, symbol: SYMBOLS[m]!, priceTicks: this.index[m]! };
  }

  /**
   * A swing as the demo makes them: a jump of 4% to 9% either way, past what 20x positions bear, or, once
   * away, the jump back. Before a jump away the makers pull their quotes in that market (as the demo's
   * do): the liquidations then find a thin book, and bankrupt positions go to ADL. The cancels come
   * ahead of the index move.
   */
  private swing(i: number, m: number, r: () => number): Op[] {
    const ops: Op[] = [];
    const market = 1 + m;
    const away = this.index[m]! - MIDS[m]!;
    if (away * 100 > MIDS[m]! * 3 || away * 100 < -MIDS[m]! * 3) this.index[m] = MIDS[m]!;
    else {
      this.index[m] = MIDS[m]! + Math.trunc((MIDS[m]! * (4 + (r() % 6)) * (r() % 2 === 0 ? 1 : -1)) / 100);
      for (let a = 0; a < MAKERS; a++) {
        ops.push({ kind: 'cancelAll', key: `x${i}.${a}`, account: a, market });
        this.resting[a] = this.resting[a]!.filter(([tm]) => tm !== market);
      }
    }
    ops.push({ kind: 'index', key: `i${i}`, symbol: SYMBOLS[m]!, priceTicks: this.index[m]! });
    return ops;
  }

  take(): Op {
    const queued = this.queued.shift();
    if (queued) return queued;
    const i = this.next++;
    const r = rng(this.seed * 7_919 + i);
    if (i < ACCOUNTS) return { kind: 'deposit', key: `d${1 + i}`, account: i, custodyId: 1 + i, usdt: i < MAKERS ? 2_000_000 : i === CASH ? 10_000 : 300 };
    if (i < ACCOUNTS + MIDS.length) return { kind: 'index', key: `i${i}`, symbol: SYMBOLS[i - ACCOUNTS]!, priceTicks: MIDS[i - ACCOUNTS]! };
    const k = r() % 100;
    const m = r() % 2;
    const market = 1 + m;
    if (k < 3 && r() % 3 !== 0) return this.step(i, m, r);
    if (k < 3) {
      const [first, ...rest] = this.swing(i, m, r);
      this.queued.push(...rest);
      return first!;
    }
    // Deposits: to anyone, and often to a taker, whom a liquidation may have left with nothing.
    if (k < 6) return { kind: 'deposit', key: `d${100 + i}`, account: r() % 2 === 0 ? r() % ACCOUNTS : MAKERS + (r() % TAKERS), custodyId: 100 + i, usdt: 1 + (r() % 60) };
    if (k < 7) return { kind: 'withdraw', key: `w${i}`, account: CASH, withdrawalId: i, atoms: BigInt(1 + (r() % 20)) * ATOMS_PER_USDT + WITHDRAW_ODD_ATOMS };
    if (k < 9) return { kind: 'leverage', key: `l${i}`, account: MAKERS + (r() % TAKERS), market, leverage: 20 + 5 * (r() % 3) };
    const maker = r() % MAKERS;
    const targets = this.resting[maker]!;
    if (k < 15 && targets.length > 0) {
      const [tm, cid] = targets.splice(r() % targets.length, 1)[0]!;
      if (k < 11) return { kind: 'cancel', key: `c${i}`, account: maker, market: tm, clientOrderId: cid };
      const mid = this.index[tm - 1]!;
      const off = 1 + (r() % 60);
      targets.push([tm, cid]);
      return { kind: 'amend', key: `a${i}`, account: maker, market: tm, clientOrderId: cid, price: r() % 2 === 0 ? mid - off : mid + off, qty: 1 + (r() % 30) };
    }
    const mid = this.index[m]!;
    if (k < 60) {
      // Makers quote near the index: good-till-cancel mostly, some post-only and immediate-or-cancel.
      const side = r() % 2 === 0 ? 'buy' : 'sell';
      const off = 1 + (r() % 40);
      const tif = (['gtc', 'gtc', 'gtc', 'postOnly', 'ioc'] as const)[r() % 5]!;
      if (tif !== 'ioc') targets.push([market, i]);
      if (targets.length > 60) targets.shift();
      return { kind: 'place', key: `o${i}`, account: maker, order: { market, side, type: 'limit', tif, price: side === 'buy' ? mid - off : mid + off, qty: 1 + (r() % 30), clientOrderId: i } };
    }
    const taker = MAKERS + (r() % TAKERS);
    // Each taker leans one way (half long, half short), so its position grows to what its margin allows.
    const side = (taker + (r() % 5 === 0 ? 1 : 0)) % 2 === 0 ? 'buy' : 'sell';
    if (k < 64) {
      // A reduce-only stop-loss of the taker's lean, 2% away, triggered by the mark when a swing comes
      // (a reduce-only order reserves no margin: the taker's margin stays for its position).
      const away = Math.trunc(mid / 50);
      const lean = taker % 2 === 0 ? 'buy' : 'sell';
      const stop = lean === 'buy' ? 'sell' : 'buy';
      return { kind: 'place', key: `o${i}`, account: taker, order: { market, side: stop, type: 'stopMarket', trigger: stop === 'buy' ? mid + away : mid - away, triggerBy: 'mark', reduceOnly: true, qty: 1 + (r() % 20), clientOrderId: i } };
    }
    // Takers cross with market orders: leveraged positions that a swing liquidates.
    return { kind: 'place', key: `o${i}`, account: taker, order: { market, side, type: 'market', qty: m === 0 ? 10 + (r() % 60) : 100 + (r() % 1_000), clientOrderId: i } };
  }
}
