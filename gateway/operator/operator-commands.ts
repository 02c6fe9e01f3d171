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
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { UpdateReason } from '../../risk/shard/events.js';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';

const AU = AccountUpdatedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;

export type CommandOutcome =
  | { readonly ok: true; readonly walletAtoms: bigint }
  | { readonly ok: false; readonly code: number; readonly message: string };

/** What operator commands need of the exchange. */
export type CommandExchange = Pick<ThreadedExchange, 'offer' | 'flush' | 'halted'>;

interface Pending {
  resolve: (o: CommandOutcome) => void;
  timer: NodeJS.Timeout;
}

const key = (accountId: number, requestId: number) => `${accountId}:${requestId}`;

export class OperatorCommands {
  private readonly scratch = RecordBuffer.allocate(1);
  private readonly deposits = new Map<string, Pending>();

  constructor(
    private readonly exchange: CommandExchange,
    private readonly nowUs: () => number,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Credits amountAtoms of USDT to the account from custody; requestId is custody's idempotency key. */
  deposit(accountId: number, requestId: number, amountAtoms: bigint): Promise<CommandOutcome> {
    const k = key(accountId, requestId);
    if (this.deposits.has(k)) return Promise.resolve({ ok: false, code: Code.DUPLICATE_REQUEST, message: `request ${requestId} for account ${accountId} is in flight` });
    encodeRecord(this.scratch, 0, DepositLayout, { accountId, flags: HeaderFlag.OPERATOR, timeUs: this.nowUs() }, { requestId, amountAtoms, assetId: 0 });
    if (!this.exchange.offer(this.scratch, 0)) {
      return Promise.resolve(
        this.exchange.halted ? { ok: false, code: Code.SHARD_FAILED, message: 'the exchange has halted' } : { ok: false, code: Code.BACK_PRESSURE, message: 'the exchange is busy; retry with the same requestId' },
      );
    }
    this.exchange.flush();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.deposits.delete(k);
        resolve({ ok: false, code: Code.OPERATOR_TIMEOUT, message: `no answer within ${this.timeoutMs} ms; retry with the same requestId` });
      }, this.timeoutMs);
      this.deposits.set(k, { resolve, timer });
    });
  }

  /** A poll() tap: settles the pending command a record answers. */
  readonly listener = (buf: RecordBuffer, at: number): void => {
    const type = buf.type(at);
    if (type === RecordType.AccountUpdated && buf.u8At(at, AU.reason) === UpdateReason.DEPOSIT) {
      this.settle(key(buf.accountId(at), buf.u53At(at, AU.requestId)), { ok: true, walletAtoms: buf.i64At(at, AU.walletAtoms) });
    } else if (type === RecordType.OrderRejected && buf.u16At(at, REJ.commandType) === RecordType.Deposit) {
      // A refused request is answered with its request id in orderId.
      const code = buf.u16At(at, REJ.code);
      this.settle(key(buf.accountId(at), buf.u53At(at, REJ.orderId)), { ok: false, code, message: 'refused by the risk shard' });
    }
  };

  /** In flight now (tests). */
  get pending(): number {
    return this.deposits.size;
  }

  private settle(k: string, o: CommandOutcome): void {
    const p = this.deposits.get(k);
    if (p === undefined) return;
    this.deposits.delete(k);
    clearTimeout(p.timer);
    p.resolve(o);
  }

  /** Settles everything in flight as unknown (shutdown). */
  close(): void {
    for (const k of [...this.deposits.keys()]) this.settle(k, { ok: false, code: Code.OPERATOR_TIMEOUT, message: 'the exchange is stopping' });
  }
}
