// Withdrawals: a trader's withdrawal carries a withdrawalId of its choosing (1 to 2^51 − 1, per account),
// so a client that lost the answer (its connection or the server died) retries it safely:
//
//   the shard     The Withdraw goes to the risk shard under request id 2^51 + withdrawalId (id-allocator.ts),
//                 the same for every attempt: the shard's per-account applied set (journaled, in its
//                 snapshots) refuses a second one DUPLICATE_REQUEST. No attempt, before or after any
//                 restart, debits twice, whatever the gateway below remembers.
//   the gateway   Records (account, withdrawalId) → amount in its store before offering the first attempt,
//                 and the result (the account after it, or the refusal) before answering it. A repeat:
//
//     other amount               → WITHDRAWAL_ID_REUSED, nothing offered
//     result recorded            → that result again (replayed: true)
//     first attempt in flight    → waits for its result (replayed: true)
//     recorded, no result        → (a restart came between) offered again under the same request id: the
//                                  shard's DUPLICATE_REQUEST means the first attempt was applied, answered
//                                  as applied with the account as it is now; otherwise this attempt is the
//                                  withdrawal
//
// A refusal the exchange gave is an outcome and is replayed (a withdrawal refused for want of funds stays
// refused: withdraw again under a new id). One it never took (BACK_PRESSURE, EXCHANGE_HALTED) is not: the
// retry is a new attempt. Past `capPerAccount` ids an account forgets the oldest settled one; a retry of a
// forgotten id that was applied is refused DUPLICATE_REQUEST by the shard (still no second debit).

import { Code } from '../../engine/codes.js';
import { brokenWithdrawalLagMs, withdrawTwice } from '../../persistence/crash-points.js';
import type { Store } from '../../persistence/store.js';
import { Family, familyRange, pairKey, readU32, readU64 } from '../auth/gateway-keys.js';
import { fail, ok, type Result } from '../handlers/handler.js';
import type { AccountViews } from '../views/account-views.js';
import { withdrawalRequestId } from './id-allocator.js';
import type { OrderEntry } from './order-entry.js';
import type { StoreBatcher } from './store-batcher.js';

/** The outcome of a withdrawal: applied (the account after it, atoms) or refused with a code. */
interface Outcome {
  readonly ok: boolean;
  readonly code: number;
  readonly requestId: number;
  readonly wallet?: bigint;
  readonly available?: bigint;
  readonly withdrawable?: bigint;
}

interface Entry {
  readonly amount: bigint;
  readonly seq: number;
  outcome: Outcome | undefined;
  /** Attempts waiting for the one in flight; undefined while none is in flight. */
  waiters: ((o: Outcome | number) => void)[] | undefined;
}

/** The store's record: JSON, money as decimal strings. */
interface Stored {
  amount: string;
  seq: number;
  ok?: boolean;
  code?: number;
  requestId?: number;
  wallet?: string;
  available?: string;
  withdrawable?: string;
}

/** Refusals that mean the exchange never took the command: not an outcome to remember. */
const NOT_TAKEN: ReadonlySet<number> = new Set([Code.BACK_PRESSURE, Code.EXCHANGE_HALTED]);

const keyOf = (accountId: number, withdrawalId: number): Uint8Array => pairKey(Family.WITHDRAWAL, accountId, withdrawalId);

function toStored(e: Entry): Uint8Array {
  const o = e.outcome;
  const s: Stored = { amount: e.amount.toString(), seq: e.seq };
  if (o !== undefined) {
    Object.assign(s, { ok: o.ok, code: o.code, requestId: o.requestId });
    if (o.ok) Object.assign(s, { wallet: o.wallet!.toString(), available: o.available!.toString(), withdrawable: o.withdrawable!.toString() });
  }
  return Buffer.from(JSON.stringify(s), 'utf8');
}

function fromStored(s: Stored): Entry {
  const outcome: Outcome | undefined =
    s.ok === undefined ? undefined : s.ok ? { ok: true, code: Code.OK, requestId: s.requestId!, wallet: BigInt(s.wallet!), available: BigInt(s.available!), withdrawable: BigInt(s.withdrawable!) } : { ok: false, code: s.code!, requestId: s.requestId! };
  return { amount: BigInt(s.amount), seq: s.seq, outcome, waiters: undefined };
}

function resultOf(o: Outcome, withdrawalId: number, amount: bigint, replayed: boolean): Result {
  if (!o.ok) return fail(o.code, replayed ? `withdrawal ${withdrawalId} was refused before` : undefined);
  return ok({ requestId: o.requestId, withdrawalId, amount, wallet: o.wallet, available: o.available, withdrawable: o.withdrawable, replayed });
}

export class Withdrawals {
  private readonly byAccount = new Map<number, Map<number, Entry>>();
  private seq = 0;
  /** The crash harness's broken build (persistence/crash-points.ts); false and 0 in every real build. */
  private readonly broken = withdrawTwice();
  private readonly brokenLagMs = brokenWithdrawalLagMs();

  private constructor(
    private readonly batcher: StoreBatcher,
    private readonly entry: OrderEntry,
    private readonly views: AccountViews,
    private readonly capPerAccount: number,
  ) {}

  static async open(store: Store, batcher: StoreBatcher, entry: OrderEntry, views: AccountViews, capPerAccount = 10_000): Promise<Withdrawals> {
    const w = new Withdrawals(batcher, entry, views, capPerAccount);
    const loaded: { accountId: number; id: number; e: Entry }[] = [];
    for await (const r of store.scan(familyRange(Family.WITHDRAWAL))) {
      loaded.push({ accountId: readU32(r.key, 1), id: readU64(r.key, 5), e: fromStored(JSON.parse(Buffer.from(r.value).toString('utf8')) as Stored) });
    }
    // In the order they were first recorded: eviction forgets the oldest.
    loaded.sort((a, b) => a.e.seq - b.e.seq);
    for (const l of loaded) {
      w.account(l.accountId).set(l.id, l.e);
      w.seq = Math.max(w.seq, l.e.seq);
    }
    return w;
  }

  private account(accountId: number): Map<number, Entry> {
    let m = this.byAccount.get(accountId);
    if (m === undefined) this.byAccount.set(accountId, (m = new Map()));
    return m;
  }

  /** Withdraws `amount` atoms under the trader's `withdrawalId`, or answers a repeat of it (above). */
  async withdraw(accountId: number, withdrawalId: number, amount: bigint): Promise<Result> {
    const m = this.account(accountId);
    const known = m.get(withdrawalId);
    if (known !== undefined && known.amount !== amount) return fail(Code.WITHDRAWAL_ID_REUSED, `withdrawalId ${withdrawalId} was used for ${known.amount} atoms`, 'withdrawalId');
    if (known?.outcome !== undefined) return resultOf(known.outcome, withdrawalId, amount, true);
    if (known?.waiters !== undefined) {
      const waiters = known.waiters;
      return new Promise((resolve) => waiters.push((o) => resolve(typeof o === 'number' ? fail(o) : resultOf(o, withdrawalId, amount, true))));
    }
    let e = known;
    if (e === undefined) {
      e = { amount, seq: ++this.seq, outcome: undefined, waiters: [] };
      m.set(withdrawalId, e);
      this.evict(accountId, m);
      try {
        await this.batcher.put(keyOf(accountId, withdrawalId), toStored(e));
      } catch {
        this.release(m, withdrawalId, e, Code.STORE_IO_FAILED);
        return fail(Code.STORE_IO_FAILED, 'the gateway could not record the withdrawal for idempotent retries; nothing was withdrawn');
      }
    } else e.waiters = [];
    // The broken build offers a retry under a fresh id (2^50 + withdrawalId): the shard cannot tell it is one.
    const requestId = withdrawalRequestId(this.broken && known !== undefined ? 2 ** 50 + withdrawalId : withdrawalId);
    const a = await this.entry.withdraw(accountId, amount, requestId);
    if (this.brokenLagMs > 0) await new Promise((resolve) => setTimeout(resolve, this.brokenLagMs));
    if (!a.ok && NOT_TAKEN.has(a.code)) {
      // Not taken: the next attempt starts afresh (the record stays, without a result, until one comes).
      this.release(undefined, withdrawalId, e, a.code);
      return fail(a.code);
    }
    let o: Outcome;
    if (a.ok) o = { ok: true, code: Code.OK, requestId, wallet: a.record['walletAtoms'] as bigint, available: a.record['availableAtoms'] as bigint, withdrawable: a.record['withdrawableAtoms'] as bigint };
    else if (a.code === Code.DUPLICATE_REQUEST && known !== undefined) {
      // Recorded before a restart without its result, and the shard has applied it: that attempt was the
      // withdrawal. The account after it is gone; the one now stands in.
      const b = this.views.get(accountId)?.balance;
      o = { ok: true, code: Code.OK, requestId, wallet: b?.wallet ?? 0n, available: b?.available ?? 0n, withdrawable: b?.withdrawable ?? 0n };
    } else o = { ok: false, code: a.code, requestId };
    e.outcome = o;
    const waiters = e.waiters ?? [];
    e.waiters = undefined;
    // Answered once recorded (or the write failed): a retry after a crash is then told the same.
    await this.batcher.put(keyOf(accountId, withdrawalId), toStored(e)).catch(() => {});
    for (const f of waiters) f(o);
    return resultOf(o, withdrawalId, amount, false);
  }

  /** An attempt that changed nothing: its waiters get `code`; a fresh entry that was never stored is dropped. */
  private release(m: Map<number, Entry> | undefined, withdrawalId: number, e: Entry, code: number): void {
    const waiters = e.waiters ?? [];
    e.waiters = undefined;
    if (m !== undefined && m.get(withdrawalId) === e) m.delete(withdrawalId);
    for (const f of waiters) f(code);
  }

  /** Past the cap, forgets the account's oldest settled withdrawal id (never one in flight). */
  private evict(accountId: number, m: Map<number, Entry>): void {
    if (m.size <= this.capPerAccount) return;
    for (const [id, e] of m) {
      if (e.outcome === undefined) continue;
      m.delete(id);
      this.batcher.delLater(keyOf(accountId, id));
      return;
    }
  }

  /** Withdrawal ids remembered for the account (tests). */
  remembered(accountId: number): number {
    return this.byAccount.get(accountId)?.size ?? 0;
  }
}
