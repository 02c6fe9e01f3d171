// ScanSnapshot: a risk shard's open positions, grouped by margin scope, copied into flat typed arrays over
// SharedArrayBuffer so that a pool of worker threads (shock-scanner.ts) can read one snapshot at once
// without copying it. Built on the risk shard's own thread (the worker serves it on request; see
// risk-shard-worker.ts), read anywhere.
//
//   scopes     S rows, ascending account id, the cross scope before the account's isolated ones in
//              ascending market id: account, scope market (CROSS_SCOPE or the isolated market), collateral
//              (the wallet for cross, M_iso for isolated), and [start, start+1) into the positions
//   positions  P rows: market index (into `markets`), signed quantity in lots, entry cost in atoms
//   markets    ascending id: mark, atoms per tick·lot and the tier table at the time of the snapshot
//
// Only scopes with an open position are copied, and only when every market they hold has a mark (the
// others are counted in `unmarkedScopes`). Money and sizes stay integers: 64-bit words, checked on the
// way in (a value past 2^63 refuses the snapshot with a RangeError rather than wrap).

import { CROSS_SCOPE } from '../shard/seams.js';
import { MarginMode, type AccountState, type PositionState, type RiskState } from '../shard/state.js';
import type { TierTable } from '../tiers.js';

export interface ScanMarket {
  readonly marketId: number;
  readonly markTicks: bigint;
  readonly atomsPerTickLot: bigint;
  readonly tiers: TierTable;
}

export interface ScanSnapshot {
  readonly shardId: number;
  readonly insuranceFundAtoms: bigint;
  /** The pool's per-event cap on what the fund pays one liquidation. */
  readonly perEventCapAtoms: bigint;
  readonly markets: readonly ScanMarket[];
  readonly scopeCount: number;
  readonly positionCount: number;
  /** Scopes left out because a market they hold had no mark yet. */
  readonly unmarkedScopes: number;
  readonly scopeAccount: Int32Array;
  readonly scopeMarketId: Int32Array;
  readonly scopeCollateralAtoms: BigInt64Array;
  /** S + 1 offsets into the position arrays. */
  readonly scopeStart: Int32Array;
  readonly positionMarket: Int32Array;
  readonly positionQtyLots: BigInt64Array;
  readonly positionEntryCostAtoms: BigInt64Array;
}

const MIN_64 = -(2n ** 63n);
const MAX_64 = 2n ** 63n - 1n;

/** A bigint as a 64-bit word, or a RangeError naming it. */
function checked(v: bigint, what: string, accountId: number): bigint {
  if (v < MIN_64 || v > MAX_64) throw new RangeError(`scan snapshot: account ${accountId} ${what} ${v} does not fit 64 bits`);
  return v;
}

const TWO_32 = 4_294_967_296;

/**
 * Stores the exact integer n (|n| < 2^53) as the 64-bit two's-complement word `i` of `words`, through
 * its 32-bit halves (little-endian; assertLittleEndian holds on every thread): no BigInt is made, so a
 * snapshot of a million positions allocates nothing per position.
 */
function putExact(halves: Uint32Array, i: number, n: number): void {
  halves[2 * i] = n >>> 0;
  halves[2 * i + 1] = Math.floor(n / TWO_32) >>> 0;
}

/** Writes a number slot (exact, or NaN with the value in the bigint slot) as word i of `words`. */
function putSlot(words: BigInt64Array, halves: Uint32Array, i: number, n: number, big: bigint | undefined, what: string, accountId: number): void {
  if (n === n) putExact(halves, i, n);
  else words[i] = checked(big!, what, accountId);
}

/** The accounts in ascending id, without a lookup per id (already in order when created in order). */
export function accountsById(state: RiskState): AccountState[] {
  const out = [...state.accounts.values()];
  for (let i = 1; i < out.length; i++) {
    if (out[i - 1]!.id > out[i]!.id) return out.sort((a, b) => a.id - b.id);
  }
  return out;
}

/**
 * Builds a ScanSnapshot a slice of accounts at a time, so a risk worker can copy a million positions
 * between its batches without stopping for the whole copy (risk-shard-worker.ts gives it a budget per
 * loop turn). The accounts are those that existed when the builder was made, in ascending id; each is
 * copied whole at the moment its slice runs, so every scope is consistent in itself, and the marks are
 * those of the start. The columns live in SharedArrayBuffer throughout (sized from the account count,
 * doubled when short), so finish() copies nothing. step(Infinity) then finish() is the one-shot copy
 * (buildScanSnapshot).
 */
export class ScanSnapshotBuilder {
  private readonly accounts: AccountState[];
  private readonly markets: ScanMarket[];
  private readonly marketIndex: Map<number, number>;
  private readonly markedByIndex: boolean[];
  private next = 0;
  private S = 0;
  private P = 0;
  private unmarked = 0;
  // Columns in SharedArrayBuffer from the start, sized for one scope and one position per account and
  // doubled when that is short; finish() hands out views of the filled length (no copy).
  private scopeAccount: Int32Array;
  private scopeMarketId: Int32Array;
  private scopeCollateral: BigInt64Array;
  private scopeStart: Int32Array;
  private positionMarket: Int32Array;
  private positionQty: BigInt64Array;
  private positionCost: BigInt64Array;
  // 32-bit views of the 64-bit columns (putExact writes through them), renewed when a column grows.
  private scopeCollateralH: Uint32Array;
  private positionQtyH: Uint32Array;
  private positionCostH: Uint32Array;
  private readonly cross: PositionState[] = [];

  constructor(private readonly state: RiskState) {
    const marketIds = state.sortedMarketIds();
    this.marketIndex = new Map(marketIds.map((id, i) => [id, i]));
    this.markets = marketIds.map((id) => {
      const m = state.markets.get(id)!;
      return { marketId: id, markTicks: m.markPriceTicks, atomsPerTickLot: m.atomsPerTickLot, tiers: m.tiers };
    });
    this.markedByIndex = this.markets.map((m) => m.markTicks > 0n);
    this.accounts = accountsById(state);
    // Capacity: one scope per account (more only with several isolated positions), and the positions
    // the accounts hold now (Map sizes: no walk over the positions themselves).
    let held = 16;
    for (let i = 0; i < this.accounts.length; i++) held += this.accounts[i]!.positions.size;
    const c = this.accounts.length + 16;
    this.scopeAccount = sharedI32(c);
    this.scopeMarketId = sharedI32(c);
    this.scopeStart = sharedI32(c + 1);
    this.scopeCollateral = sharedI64(c);
    this.positionMarket = sharedI32(held);
    this.positionQty = sharedI64(held);
    this.positionCost = sharedI64(held);
    this.scopeCollateralH = halvesOf(this.scopeCollateral);
    this.positionQtyH = halvesOf(this.positionQty);
    this.positionCostH = halvesOf(this.positionCost);
  }

  /** Accounts left to copy. */
  get remaining(): number {
    return this.accounts.length - this.next;
  }

  /** Copies up to maxAccounts more accounts; true when every account is copied. */
  step(maxAccounts: number): boolean {
    const end = Math.min(this.accounts.length, this.next + maxAccounts);
    for (; this.next < end; this.next++) this.copyAccount(this.accounts[this.next]!);
    return this.next === this.accounts.length;
  }

  /** The snapshot: views of the filled columns. Call after step() returned true, once. */
  finish(): ScanSnapshot {
    if (this.remaining > 0) throw new Error(`scan snapshot: ${this.remaining} accounts not copied yet`);
    const S = this.S;
    const P = this.P;
    this.scopeStart[S] = P;
    return {
      shardId: this.state.shardId,
      insuranceFundAtoms: this.state.insuranceFundAtoms,
      perEventCapAtoms: this.state.pool.insurancePerEventCapAtoms,
      markets: this.markets,
      scopeCount: S,
      positionCount: P,
      unmarkedScopes: this.unmarked,
      scopeAccount: this.scopeAccount.subarray(0, S),
      scopeMarketId: this.scopeMarketId.subarray(0, S),
      scopeCollateralAtoms: this.scopeCollateral.subarray(0, S),
      scopeStart: this.scopeStart.subarray(0, S + 1),
      positionMarket: this.positionMarket.subarray(0, P),
      positionQtyLots: this.positionQty.subarray(0, P),
      positionEntryCostAtoms: this.positionCost.subarray(0, P),
    };
  }

  private marked(marketId: number): boolean {
    const i = this.marketIndex.get(marketId);
    return i !== undefined && this.markedByIndex[i]!;
  }

  /** One account: its cross scope (when open and every market it holds has a mark), then its isolated ones. */
  private copyAccount(account: AccountState): void {
    const held = account.positionsInOrder();
    const cross = this.cross;
    cross.length = 0;
    let crossMarked = true;
    for (let j = 0; j < held.length; j++) {
      const pos = held[j]!;
      if (pos.qtyN === 0 || pos.marginMode === MarginMode.ISOLATED) continue;
      cross.push(pos);
      if (!this.marked(pos.marketId)) crossMarked = false;
    }
    if (cross.length > 0) {
      if (crossMarked) {
        this.openScope(account.id, CROSS_SCOPE, account.walletN, account.walletN === account.walletN ? undefined : account.walletAtoms, cross.length);
        for (const pos of cross) this.putPosition(pos);
      } else this.unmarked++;
    }
    for (let j = 0; j < held.length; j++) {
      const pos = held[j]!;
      if (pos.qtyN === 0 || pos.marginMode !== MarginMode.ISOLATED) continue;
      if (!this.marked(pos.marketId)) {
        this.unmarked++;
        continue;
      }
      this.openScope(account.id, pos.marketId, pos.isolatedMarginN, pos.isolatedMarginN === pos.isolatedMarginN ? undefined : pos.isolatedMarginAtoms, 1);
      this.putPosition(pos);
    }
  }

  private openScope(accountId: number, scopeMarketId: number, n: number, big: bigint | undefined, positions: number): void {
    const s = this.S;
    if (s + 1 >= this.scopeAccount.length) this.growScopes();
    if (this.P + positions > this.positionMarket.length) this.growPositions(this.P + positions);
    this.scopeAccount[s] = accountId;
    this.scopeMarketId[s] = scopeMarketId;
    putSlot(this.scopeCollateral, this.scopeCollateralH, s, n, big, 'collateral', accountId);
    this.scopeStart[s] = this.P;
    this.S = s + 1;
  }

  // Number slots are exact when not NaN (exact-slot.ts); the bigint getter is read only when one is NaN.
  private putPosition(pos: PositionState): void {
    const p = this.P;
    this.positionMarket[p] = this.marketIndex.get(pos.marketId)!;
    putSlot(this.positionQty, this.positionQtyH, p, pos.qtyN, pos.qtyN === pos.qtyN ? undefined : pos.qtyLots, 'quantity', pos.accountId);
    putSlot(this.positionCost, this.positionCostH, p, pos.entryCostN, pos.entryCostN === pos.entryCostN ? undefined : pos.entryCostAtoms, 'entry cost', pos.accountId);
    this.P = p + 1;
  }

  private growScopes(): void {
    const c = this.scopeAccount.length * 2;
    this.scopeAccount = grownI32(this.scopeAccount, c);
    this.scopeMarketId = grownI32(this.scopeMarketId, c);
    this.scopeStart = grownI32(this.scopeStart, c + 1);
    this.scopeCollateral = grownI64(this.scopeCollateral, c);
    this.scopeCollateralH = halvesOf(this.scopeCollateral);
  }

  private growPositions(need: number): void {
    let c = this.positionMarket.length * 2;
    while (c < need) c *= 2;
    this.positionMarket = grownI32(this.positionMarket, c);
    this.positionQty = grownI64(this.positionQty, c);
    this.positionCost = grownI64(this.positionCost, c);
    this.positionQtyH = halvesOf(this.positionQty);
    this.positionCostH = halvesOf(this.positionCost);
  }
}

function sharedI32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(n, 2)));
}

function sharedI64(n: number): BigInt64Array {
  return new BigInt64Array(new SharedArrayBuffer(8 * Math.max(n, 1)));
}

function grownI32(from: Int32Array, capacity: number): Int32Array {
  const to = sharedI32(capacity);
  to.set(from);
  return to;
}

function grownI64(from: BigInt64Array, capacity: number): BigInt64Array {
  const to = sharedI64(capacity);
  to.set(from);
  return to;
}

/** The 32-bit halves view of a 64-bit column (little-endian: low word first). */
function halvesOf(words: BigInt64Array): Uint32Array {
  return new Uint32Array(words.buffer, words.byteOffset, words.length * 2);
}

/** Copies the shard's open positions by scope in one go (see the file comment and ScanSnapshotBuilder). */
export function buildScanSnapshot(state: RiskState): ScanSnapshot {
  const b = new ScanSnapshotBuilder(state);
  b.step(Number.POSITIVE_INFINITY);
  return b.finish();
}
