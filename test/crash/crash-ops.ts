// The crash client's operations: a seeded, endless load of deposits, orders, index and timer ticks over a
// small set of accounts, built so that positions grow leveraged and the index swings hard enough that
// liquidations (and, with an empty insurance fund, ADL) happen. An operation is plain data, so it crosses
// the IPC channel to the child and can be retried byte for byte after a crash.

import { OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { USDT_DECIMALS } from '../../engine/market/spec.js';
import { indexTick, place, type Cmd } from '../support/commands.js';
import { advanceTime, deposit } from '../support/risk-commands.js';
import { rng } from '../support/seed.js';

export type Op =
  | { readonly kind: 'deposit'; readonly key: string; readonly accountId: number; readonly requestId: number; readonly usdt: number }
  | { readonly kind: 'place'; readonly key: string; readonly accountId: number; readonly marketId: number; readonly orderId: number; readonly side: number; readonly priceTicks: number; readonly qtyLots: number; readonly market: boolean; readonly timeUs: number }
  | { readonly kind: 'index'; readonly key: string; readonly marketId: number; readonly priceTicks: number; readonly timeUs: number }
  | { readonly kind: 'time'; readonly key: string; readonly timeUs: number };

const T0 = 1_700_000_000_000_000;
const USDT = 10n ** BigInt(USDT_DECIMALS);
const CRASH_ACCOUNTS = 12;
const MIDS = [600_000, 30_000];

/** Client operations carry acknowledgements (deposits, orders); ticks are the gateway's own. */
export function acknowledged(op: Op): boolean {
  return op.kind === 'deposit' || op.kind === 'place';
}

/** Operation i of the load for `seed` (the same every call). Index prices follow a walk with jumps. */
export class CrashLoad {
  private readonly index = [...MIDS];
  private next = 0;

  constructor(private readonly seed: number) {}

  take(): Op {
    const i = this.next++;
    const r = rng(this.seed * 7_919 + i);
    const t = T0 + i * 2_000;
    if (i < CRASH_ACCOUNTS) return { kind: 'deposit', key: `d${1 + i}`, accountId: 1 + i, requestId: 1 + i, usdt: i < 4 ? 2_000_000 : 1_000 };
    if (i < CRASH_ACCOUNTS + 2) return { kind: 'index', key: `i${i}`, marketId: 1 + i - CRASH_ACCOUNTS, priceTicks: MIDS[i - CRASH_ACCOUNTS]!, timeUs: t };
    const k = r() % 100;
    const m = r() % 2;
    if (k < 3) {
      // A swing: mostly small steps, sometimes a jump of up to 8%.
      const jump = r() % 10 === 0 ? Math.round((this.index[m]! * ((r() % 17) - 8)) / 100) : Math.round((this.index[m]! * ((r() % 5) - 2)) / 1_000);
      this.index[m] = Math.max(MIDS[m]! / 2, Math.min(MIDS[m]! * 2, this.index[m]! + jump));
      return { kind: 'index', key: `i${i}`, marketId: 1 + m, priceTicks: this.index[m]!, timeUs: t };
    }
    if (k < 4) return { kind: 'time', key: `t${i}`, timeUs: t };
    if (k < 8) return { kind: 'deposit', key: `d${100 + i}`, accountId: 1 + (r() % CRASH_ACCOUNTS), requestId: 100 + i, usdt: 1 + (r() % 100) };
    const mid = this.index[m]!;
    if (k < 60) {
      // Makers (accounts 1-4, deep pockets) quote near the index.
      const side = r() % 2;
      const off = 1 + (r() % 40);
      return { kind: 'place', key: `o${i}`, accountId: 1 + (r() % 4), marketId: 1 + m, orderId: i, side, priceTicks: side === Side.BUY ? mid - off : mid + off, qtyLots: 1 + (r() % 30), market: false, timeUs: t };
    }
    // Takers (accounts 5-12, thin margin) cross with market orders: leveraged positions that a swing liquidates.
    return { kind: 'place', key: `o${i}`, accountId: 5 + (r() % (CRASH_ACCOUNTS - 4)), marketId: 1 + m, orderId: i, side: r() % 2, priceTicks: 0, qtyLots: 1 + (r() % (m === 0 ? 150 : 2_000)), market: true, timeUs: t };
  }
}

export function opCommand(op: Op): Cmd {
  switch (op.kind) {
    case 'deposit':
      return deposit(op.accountId, BigInt(op.usdt) * USDT, op.requestId);
    case 'place':
      return op.market
        ? place({ orderId: op.orderId, accountId: op.accountId, marketId: op.marketId, side: op.side, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, qtyLots: op.qtyLots, timeUs: op.timeUs })
        : place({ orderId: op.orderId, accountId: op.accountId, marketId: op.marketId, side: op.side, priceTicks: op.priceTicks, qtyLots: op.qtyLots, timeUs: op.timeUs });
    case 'index':
      return indexTick(op.priceTicks, op.timeUs, op.marketId);
    case 'time':
      return advanceTime(op.timeUs);
  }
}
