// Operator commands into the exchange, each awaited until its one answer comes back (docs/COMMANDS.md,
// "One answer per command"): the gateway offers the record with HeaderFlag.OPERATOR (the shards permit
// operator-only commands on that flag alone, so only this authenticated path sets it), and listener()
// (a poll() tap beside the gateway's own) matches answers to what is pending.
//
// An answer that does not come within the timeout leaves the outcome unknown (OPERATOR_TIMEOUT): the
// request id is the idempotency key, so the operator retries with the same id and the shard answers
// DUPLICATE_REQUEST if the first one was applied.

import { Code } from '../../engine/codes.js';
import { AccountUpdatedLayout } from '../../engine/ring/layouts/account-updated.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { CommandAppliedLayout } from '../../engine/ring/layouts/command-applied.js';
import { MarketStatus, SetMarketStatusLayout } from '../../engine/ring/layouts/set-market-status.js';
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { UpdateReason } from '../../risk/shard/events.js';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';

const AU = AccountUpdatedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;
const APL = CommandAppliedLayout.offsets;

export type CommandOutcome =
  | { readonly ok: true; readonly walletAtoms?: bigint }
  | { readonly ok: false; readonly code: number; readonly message: string };

/** What operator commands need of the exchange. */
export type CommandExchange = Pick<ThreadedExchange, 'offer' | 'flush' | 'halted'>;

interface Pending {
  resolve: (o: CommandOutcome) => void;
  timer: NodeJS.Timeout;
}

/** Deposits are keyed by account, market halts by market: each with its request id. */
const key = (owner: number, requestId: number) => `${owner}:${requestId}`;

/**
 * The operator's request ids in the engine: custody's id r (or this process's own counter) is sent as
 * 2^52 + r. The trader gateway allocates its order and request ids from 1 upwards, so the two never meet,
 * and the same custody id always maps to the same engine id (a retry after a restart is still refused
 * DUPLICATE_REQUEST).
 */
export const OPERATOR_REQUEST_BASE = 2 ** 52;
/** Custody request ids are 1 to this. */
export const MAX_CUSTODY_REQUEST_ID = 2 ** 52 - 1;

export class OperatorCommands {
  private readonly scratch = RecordBuffer.allocate(1);
  private readonly deposits = new Map<string, Pending>();
  /** Market halts and resumes in flight, by market and request id. */
  private readonly statuses = new Map<string, Pending>();
  private nextRequestId = 1;
  private readonly known = new Map<number, 'open' | 'halted'>();

  constructor(
    private readonly exchange: CommandExchange,
    private readonly nowUs: () => number,
    private readonly timeoutMs = 5_000,
    /** What statusOf() says of a market this process never set: "open" on a fresh exchange. */
    private readonly initialStatus: 'open' | 'unknown' = 'open',
  ) {}

  /** Credits amountAtoms of USDT to the account from custody; custodyId (1 to 2^52 − 1) is custody's idempotency key. */
  deposit(accountId: number, custodyId: number, amountAtoms: bigint): Promise<CommandOutcome> {
    const requestId = OPERATOR_REQUEST_BASE + custodyId;
    const k = key(accountId, requestId);
    if (this.deposits.has(k)) return Promise.resolve({ ok: false, code: Code.DUPLICATE_REQUEST, message: `request ${custodyId} for account ${accountId} is in flight` });
    encodeRecord(this.scratch, 0, DepositLayout, { accountId, flags: HeaderFlag.OPERATOR, timeUs: this.nowUs() }, { requestId, amountAtoms, assetId: 0 });
    return this.submit(this.deposits, k);
  }

  /** Offers the command in scratch and waits for its answer under key k of `pending`. */
  private submit(pending: Map<string, Pending>, k: string): Promise<CommandOutcome> {
    if (!this.exchange.offer(this.scratch, 0)) {
      return Promise.resolve(
        this.exchange.halted ? { ok: false, code: Code.SHARD_FAILED, message: 'the exchange has halted' } : { ok: false, code: Code.BACK_PRESSURE, message: 'the exchange is busy; retry' },
      );
    }
    this.exchange.flush();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(k);
        resolve({ ok: false, code: Code.OPERATOR_TIMEOUT, message: `no answer within ${this.timeoutMs} ms; the outcome is unknown (a retry is safe)` });
      }, this.timeoutMs);
      pending.set(k, { resolve, timer });
    });
  }

  /**
   * Halts (or resumes) a market: the market shard refuses accounts' new orders and amendments while it
   * is halted (docs/COMMANDS.md, "Halting a market"). Answered by CommandApplied from the market shard.
   */
  async setMarketStatus(marketId: number, status: MarketStatus): Promise<CommandOutcome> {
    const requestId = OPERATOR_REQUEST_BASE + this.nextRequestId++;
    encodeRecord(this.scratch, 0, SetMarketStatusLayout, { marketId, flags: HeaderFlag.OPERATOR, timeUs: this.nowUs() }, { requestId, status });
    const outcome = await this.submit(this.statuses, key(marketId, requestId));
    if (outcome.ok) this.known.set(marketId, status === MarketStatus.HALTED ? 'halted' : 'open');
    return outcome;
  }

  /**
   * A market's status as this process last set it; `initial` before that. After a restart on a data
   * directory the shards know (the halt is in their state) but this process has not seen it: "unknown".
   */
  statusOf(marketId: number): 'open' | 'halted' | 'unknown' {
    return this.known.get(marketId) ?? this.initialStatus;
  }

  /**
   * The status a market shard holds (a restarted exchange's copy, exchange/shard-states.ts), unless this
   * process set one since.
   */
  loadStatus(marketId: number, halted: boolean): void {
    if (!this.known.has(marketId)) this.known.set(marketId, halted ? 'halted' : 'open');
  }

  /** A poll() tap: settles the pending command a record answers. */
  readonly listener = (buf: RecordBuffer, at: number): void => {
    const type = buf.type(at);
    if (type === RecordType.AccountUpdated && buf.u8At(at, AU.reason) === UpdateReason.DEPOSIT) {
      this.settle(key(buf.accountId(at), buf.u53At(at, AU.requestId)), { ok: true, walletAtoms: buf.i64At(at, AU.walletAtoms) }, this.deposits);
    } else if (type === RecordType.CommandApplied && buf.u16At(at, APL.commandType) === RecordType.SetMarketStatus) {
      this.settle(key(buf.marketId(at), buf.u53At(at, APL.requestId)), { ok: true }, this.statuses);
    } else if (type === RecordType.OrderRejected) {
      // A refused request is answered with its request id in orderId.
      const command = buf.u16At(at, REJ.commandType);
      const refused = { ok: false as const, code: buf.u16At(at, REJ.code), message: 'refused by the exchange' };
      if (command === RecordType.Deposit) this.settle(key(buf.accountId(at), buf.u53At(at, REJ.orderId)), refused, this.deposits);
      else if (command === RecordType.SetMarketStatus) this.settle(key(buf.marketId(at), buf.u53At(at, REJ.orderId)), refused, this.statuses);
    }
  };

  /** In flight now (tests). */
  get pending(): number {
    return this.deposits.size + this.statuses.size;
  }

  private settle(k: string, o: CommandOutcome, pending: Map<string, Pending>): void {
    const p = pending.get(k);
    if (p === undefined) return;
    pending.delete(k);
    clearTimeout(p.timer);
    p.resolve(o);
  }

  /** Settles everything in flight as unknown (shutdown). */
  close(): void {
    for (const pending of [this.deposits, this.statuses]) for (const k of [...pending.keys()]) this.settle(k, { ok: false, code: Code.OPERATOR_TIMEOUT, message: 'the exchange is stopping' }, pending);
  }
}
