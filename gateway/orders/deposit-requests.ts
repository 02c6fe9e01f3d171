// DepositRequests: a trader asks for a deposit; the operator side credits it. The engine takes deposits
// from operators only (docs/COMMANDS.md), so a request moves no money: it is recorded in the gateway's
// store (audited) as pending, and an operator's credit() sends the Deposit, with the request's id as the
// engine's idempotency key (a second credit of the same request is refused DUPLICATE_REQUEST).

import type { Store } from '../../persistence/store.js';
import type { AuditLog } from '../auth/audit-log.js';
import { depositRequestKey, Family, familyRange } from '../auth/gateway-keys.js';
import type { IdAllocator } from './id-allocator.js';
import type { Answer } from './pending-answers.js';

export interface DepositRequest {
  readonly requestId: number;
  readonly accountId: number;
  /** Collateral atoms, as a decimal string in the store (JSON has no bigint). */
  readonly amount: bigint;
  readonly reference?: string;
  readonly keyId: string;
  readonly atUs: number;
  status: 'pending' | 'credited' | 'refused';
  code?: number;
}

const toJson = (r: DepositRequest) => Buffer.from(JSON.stringify({ ...r, amount: r.amount.toString() }), 'utf8');

export class DepositRequests {
  private readonly byId = new Map<number, DepositRequest>();

  private constructor(
    private readonly audit: AuditLog,
    private readonly ids: () => IdAllocator,
    private readonly nowUs: () => number,
  ) {}

  static async open(store: Store, audit: AuditLog, ids: () => IdAllocator, nowUs: () => number): Promise<DepositRequests> {
    const d = new DepositRequests(audit, ids, nowUs);
    for await (const e of store.scan(familyRange(Family.DEPOSIT_REQUEST))) {
      const j = JSON.parse(Buffer.from(e.value).toString('utf8')) as DepositRequest & { amount: string };
      d.byId.set(j.requestId, { ...j, amount: BigInt(j.amount) });
    }
    return d;
  }

  maxId(): number {
    return Math.max(0, ...this.byId.keys());
  }

  async request(accountId: number, amount: bigint, reference: string | undefined, keyId: string): Promise<DepositRequest> {
    const r: DepositRequest = { requestId: this.ids().take(), accountId, amount, reference, keyId, atUs: this.nowUs(), status: 'pending' };
    await this.audit.commit([{ type: 'put', key: depositRequestKey(r.requestId), value: toJson(r) }], { atUs: r.atUs, by: `key:${keyId}`, action: 'depositRequest', accountId, keyId, detail: { requestId: r.requestId, amount: amount.toString(), reference } });
    this.byId.set(r.requestId, r);
    return r;
  }

  list(status?: DepositRequest['status']): DepositRequest[] {
    return [...this.byId.values()].filter((r) => status === undefined || r.status === status).sort((a, b) => a.requestId - b.requestId);
  }

  /** An operator credits a pending request through `send` (the engine's Deposit); audited with its outcome. */
  async credit(by: string, requestId: number, send: (accountId: number, amount: bigint, requestId: number) => Promise<Answer>): Promise<DepositRequest> {
    const r = this.byId.get(requestId);
    if (r === undefined) throw new RangeError(`no deposit request ${requestId}`);
    if (r.status !== 'pending') return r;
    const a = await send(r.accountId, r.amount, r.requestId);
    r.status = a.ok ? 'credited' : 'refused';
    if (!a.ok) r.code = a.code;
    await this.audit.commit([{ type: 'put', key: depositRequestKey(r.requestId), value: toJson(r) }], { atUs: this.nowUs(), by, action: 'creditDeposit', accountId: r.accountId, detail: { requestId, amount: r.amount.toString(), outcome: r.status, code: r.code } });
    return r;
  }
}
