// PendingAnswers: matches each command the gateway offered to the one answer the exchange gives it
// (docs/COMMANDS.md, "One answer per command"):
//
//   PlaceOrder                  OrderAccepted | OrderRejected          by the order id the gateway assigned
//   CancelOrder, AmendOrder     OrderCancelled (USER) | OrderAmended | OrderRejected
//                               by (command, account, orderId, clientOrderId) as sent, first come first served
//   CancelAllOrders, SetLeverage, SetMarginMode, AdjustIsolatedMargin, Withdraw, Deposit
//                               CommandApplied | AccountUpdated | OrderRejected   by the request id it assigned
//   Withdraw with a trader's withdrawalId   AccountUpdated | OrderRejected   by (account, request id): the
//                               request id is 2^51 + withdrawalId, which two accounts may both use
//
// Order and request ids come from one gateway counter (id-allocator.ts), so they never collide. When the
// exchange halts, every waiter still pending is failed (failAll): the halted exchange will not answer.

import { Code } from '../../engine/codes.js';
import { CancelReason } from '../../engine/enums.js';
import type { DecodedRecord } from '../../engine/ring/layouts/index.js';
import { RecordType, recordTypeName } from '../../engine/ring/types.js';
import { isWithdrawalRequestId } from './id-allocator.js';

export type Answer = { readonly ok: true; readonly record: DecodedRecord } | { readonly ok: false; readonly code: number; readonly record?: DecodedRecord };
export type Waiter = (a: Answer) => void;

const PLACE = recordTypeName(RecordType.PlaceOrder);
const CANCEL = recordTypeName(RecordType.CancelOrder);
const AMEND = recordTypeName(RecordType.AmendOrder);
const WITHDRAW = recordTypeName(RecordType.Withdraw);

export const targetKey = (commandType: number, accountId: number, orderId: number, clientOrderId: number): string => `${commandType}/${accountId}/${orderId}/${clientOrderId}`;

export class PendingAnswers {
  private readonly places = new Map<number, Waiter>();
  private readonly requests = new Map<number, Waiter>();
  private readonly targets = new Map<string, Waiter[]>();

  get size(): number {
    let t = 0;
    for (const l of this.targets.values()) t += l.length;
    return this.places.size + this.requests.size + t;
  }

  onPlace(orderId: number, w: Waiter): void {
    this.places.set(orderId, w);
  }

  onRequest(requestId: number, w: Waiter): void {
    this.requests.set(requestId, w);
  }

  onTarget(key: string, w: Waiter): void {
    const l = this.targets.get(key);
    if (l === undefined) this.targets.set(key, [w]);
    else l.push(w);
  }

  private takeTarget(key: string): Waiter | undefined {
    const l = this.targets.get(key);
    if (l === undefined) return undefined;
    const w = l.shift();
    if (l.length === 0) this.targets.delete(key);
    return w;
  }

  private takeTargetOf(commandType: number, r: DecodedRecord, orderId: number, clientOrderId: number): Waiter | undefined {
    return this.takeTarget(targetKey(commandType, r.accountId, orderId, 0)) ?? (clientOrderId > 0 ? this.takeTarget(targetKey(commandType, r.accountId, 0, clientOrderId)) : undefined);
  }

  private take<K>(m: Map<K, Waiter>, k: K): Waiter | undefined {
    const w = m.get(k);
    if (w !== undefined) m.delete(k);
    return w;
  }

  /** Answers the waiter a released record is the answer to; true when it was one. */
  match(r: DecodedRecord): boolean {
    let w: Waiter | undefined;
    // the answer is made only for a waiter found (most released records answer nobody: fills, balances)
    let refused: Answer | undefined;
    switch (r.type) {
      case 'OrderAccepted':
        w = this.take(this.places, r['orderId'] as number);
        break;
      case 'OrderCancelled':
        if (r['reason'] === CancelReason.USER) w = this.takeTargetOf(RecordType.CancelOrder, r, r['orderId'] as number, r['clientOrderId'] as number);
        break;
      case 'OrderAmended':
        w = this.takeTargetOf(RecordType.AmendOrder, r, r['orderId'] as number, r['clientOrderId'] as number);
        break;
      case 'CommandApplied':
        w = this.take(this.requests, r['requestId'] as number);
        break;
      case 'AccountUpdated': {
        const id = r['requestId'] as number;
        if (isWithdrawalRequestId(id)) w = this.takeTarget(targetKey(RecordType.Withdraw, r.accountId, id, 0));
        else if (id > 0) w = this.take(this.requests, id);
        break;
      }
      case 'OrderRejected': {
        refused = { ok: false, code: r['code'] as number, record: r };
        const command = recordTypeName(r['commandType'] as number);
        const id = r['orderId'] as number;
        if (command === PLACE) w = this.take(this.places, id);
        else if (command === CANCEL || command === AMEND) w = this.takeTarget(targetKey(r['commandType'] as number, r.accountId, id, r['clientOrderId'] as number));
        else if (command === WITHDRAW && isWithdrawalRequestId(id)) w = this.takeTarget(targetKey(RecordType.Withdraw, r.accountId, id, 0));
        else w = this.take(this.requests, id);
        break;
      }
    }
    if (w === undefined) return false;
    w(refused ?? { ok: true, record: r });
    return true;
  }

  /** Fails every pending waiter (the exchange halted and will answer no more). */
  failAll(code: number = Code.EXCHANGE_HALTED): void {
    const all = [...this.places.values(), ...this.requests.values(), ...[...this.targets.values()].flat()];
    this.places.clear();
    this.requests.clear();
    this.targets.clear();
    for (const w of all) w({ ok: false, code });
  }
}
