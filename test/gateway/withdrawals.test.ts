// Withdrawals (gateway/orders/withdrawals.ts) against a scripted exchange: a refusal the exchange never
// took is not an outcome (the retry is offered again); a reservation the store could not write offers
// nothing; past the cap an account forgets its oldest settled id, whose repeat is then the shard's to refuse.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import type { DecodedRecord } from '../../engine/ring/layouts/index.js';
import type { OrderEntry } from '../../gateway/orders/order-entry.js';
import type { Answer } from '../../gateway/orders/pending-answers.js';
import { StoreBatcher } from '../../gateway/orders/store-batcher.js';
import { Withdrawals } from '../../gateway/orders/withdrawals.js';
import { AccountViews } from '../../gateway/views/account-views.js';
import { MemoryStore } from '../../persistence/memory-store.js';
import type { StoreOp } from '../../persistence/store.js';

/** Answers each withdraw with the next scripted code (OK: the wallet less the amount). */
class ScriptedEntry {
  readonly sent: number[] = [];
  wallet = 1_000n;
  constructor(readonly codes: number[]) {}
  withdraw(_accountId: number, amount: bigint, requestId: number): Promise<Answer> {
    this.sent.push(requestId);
    const code = this.codes.shift() ?? Code.OK;
    if (code !== Code.OK) return Promise.resolve({ ok: false, code });
    this.wallet -= amount;
    const record = { walletAtoms: this.wallet, availableAtoms: this.wallet, withdrawableAtoms: this.wallet } as unknown as DecodedRecord;
    return Promise.resolve({ ok: true, record });
  }
}

async function open(entry: ScriptedEntry, store = new MemoryStore(), cap = 10_000) {
  return Withdrawals.open(store, new StoreBatcher(store), entry as unknown as OrderEntry, new AccountViews(), cap);
}

test('a refusal the exchange never took is not remembered: the retry is offered again under the same request id', async () => {
  const entry = new ScriptedEntry([Code.BACK_PRESSURE]);
  const w = await open(entry);
  assert.equal((await w.withdraw(7, 5, 100n)).ok, false);
  const r = await w.withdraw(7, 5, 100n);
  assert.deepEqual(r, { ok: true, data: { requestId: 2 ** 51 + 5, withdrawalId: 5, amount: 100n, wallet: 900n, available: 900n, withdrawable: 900n, replayed: false } });
  assert.deepEqual(entry.sent, [2 ** 51 + 5, 2 ** 51 + 5]);
});

class FailingStore extends MemoryStore {
  override async write(_ops: readonly StoreOp[], _sync: boolean): Promise<void> {
    throw new Error('disk full');
  }
}

test('a withdrawal whose record could not be stored is refused STORE_IO_FAILED and never offered', async () => {
  const entry = new ScriptedEntry([]);
  const w = await open(entry, new FailingStore());
  const r = await w.withdraw(7, 1, 100n);
  assert.equal(r.ok ? 0 : r.code, Code.STORE_IO_FAILED);
  assert.deepEqual(entry.sent, []);
  assert.equal(w.remembered(7), 0);
});

test('past the cap an account forgets its oldest settled withdrawal id; its repeat goes to the shard, which refuses it', async () => {
  const store = new MemoryStore();
  const entry = new ScriptedEntry([Code.OK, Code.OK, Code.OK, Code.DUPLICATE_REQUEST]);
  const w = await open(entry, store, 2);
  for (const id of [1, 2, 3]) assert.equal((await w.withdraw(7, id, 10n)).ok, true);
  assert.equal(w.remembered(7), 2);
  const r = await w.withdraw(7, 1, 10n);
  assert.equal(r.ok ? 0 : r.code, Code.DUPLICATE_REQUEST);
  assert.equal(entry.wallet, 970n, 'three debits');
  // What the store kept is what a restarted gateway remembers: 3, and 1 with its refusal (which made it forget 2).
  const again = await open(new ScriptedEntry([]), store, 10);
  assert.equal(again.remembered(7), 2);
  const refused = await again.withdraw(7, 1, 10n);
  assert.equal(refused.ok ? 0 : refused.code, Code.DUPLICATE_REQUEST);
  const replay = await again.withdraw(7, 3, 10n);
  assert.equal(replay.ok && (replay.data as { replayed: boolean }).replayed, true);
});
