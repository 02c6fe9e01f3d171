// Account requests: leverage, margin mode, isolated margin, withdrawals (idempotent by withdrawalId), deposit requests, and the
// dead-man switch. Deposits are operator-only in the engine (docs/COMMANDS.md): a trader's deposit request
// is recorded (audited) for the operator side to credit; it moves no money by itself.

import { Code } from '../../engine/codes.js';
import type { OrderEntry } from '../orders/order-entry.js';
import type { Answer } from '../orders/pending-answers.js';
import type { DeadManSwitch } from '../orders/dead-man-switch.js';
import type { DepositRequests } from '../orders/deposit-requests.js';
import type { Withdrawals } from '../orders/withdrawals.js';
import { fail, ok, type Handler, type Result } from './handler.js';

const answered = (a: Answer): Result => (a.ok ? ok({ requestId: a.record['requestId'], wallet: a.record['walletAtoms'], available: a.record['availableAtoms'], withdrawable: a.record['withdrawableAtoms'] }) : fail(a.code));

export class AccountHandlers {
  constructor(
    private readonly entry: OrderEntry,
    private readonly deadMan: DeadManSwitch,
    private readonly deposits: DepositRequests,
    private readonly withdrawals: Withdrawals,
  ) {}

  setLeverage: Handler = async (c) => answered(await this.entry.setLeverage(c.session.accountId, c.fields['market'] as number, c.fields['leverage'] as number));

  setMarginMode: Handler = async (c) => answered(await this.entry.setMarginMode(c.session.accountId, c.fields['market'] as number, c.fields['mode'] === 'isolated'));

  adjustIsolatedMargin: Handler = async (c) => answered(await this.entry.adjustIsolatedMargin(c.session.accountId, c.fields['market'] as number, c.fields['amount'] as bigint));

  /** Idempotent by the trader's withdrawalId (orders/withdrawals.ts). */
  withdraw: Handler = (c) => {
    const id = c.fields['withdrawalId'] as number;
    if (id < 1) return fail(Code.INVALID_FIELD, 'withdrawalId must be 1 to 2^51 − 1', 'withdrawalId');
    return this.withdrawals.withdraw(c.session.accountId, id, c.fields['amount'] as bigint);
  };

  depositRequest: Handler = async (c) => {
    const r = await this.deposits.request(c.session.accountId, c.fields['amount'] as bigint, c.fields['reference'] as string | undefined, c.session.key!.keyId);
    return ok({ requestId: r.requestId, status: r.status });
  };

  cancelAllAfter: Handler = (c) => {
    const ms = c.fields['ms'] as number;
    if (ms !== 0 && ms < 1_000) return fail(Code.INVALID_FIELD, 'ms must be 0 (disarm) or at least 1,000', 'ms');
    const deadlineUs = this.deadMan.arm(c.session.accountId, ms);
    return ok({ armed: ms > 0, deadlineUs });
  };
}
