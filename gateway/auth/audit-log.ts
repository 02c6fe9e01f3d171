// The audit log of key and account changes: append-only entries under 'A' in the gateway's store, each
// written in the same atomic, synced batch as the change it records, so there is never a change without
// its entry nor an entry without its change. Entries never hold secrets.

import type { Store, StoreOp } from '../../persistence/store.js';
import { auditKey, Family, familyRange, readU64 } from './gateway-keys.js';

export interface AuditEntry {
  readonly seq: number;
  /** µs since the Unix epoch (the gateway's clock). */
  readonly atUs: number;
  /** Who asked: an operator's name, or 'gateway' for the gateway's own changes. */
  readonly by: string;
  readonly action: string;
  readonly accountId?: number;
  readonly keyId?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export class AuditLog {
  private constructor(
    private readonly store: Store,
    private nextSeq: number,
  ) {}

  static async open(store: Store): Promise<AuditLog> {
    let last = 0;
    for await (const e of store.scan({ ...familyRange(Family.AUDIT), reverse: true, limit: 1 })) last = readU64(e.key, 1);
    return new AuditLog(store, last + 1);
  }

  /** Writes the change's ops and its audit entry in one synced batch. */
  async commit(ops: readonly StoreOp[], entry: Omit<AuditEntry, 'seq'>): Promise<AuditEntry> {
    const full: AuditEntry = { seq: this.nextSeq++, ...entry };
    await this.store.write([...ops, { type: 'put', key: auditKey(full.seq), value: Buffer.from(JSON.stringify(full), 'utf8') }], true);
    return full;
  }

  /** Entries in order, from `fromSeq` (default the first). */
  async entries(fromSeq = 1, limit = 1000): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for await (const e of this.store.scan({ gte: auditKey(fromSeq), lt: familyRange(Family.AUDIT).lt, limit })) out.push(JSON.parse(Buffer.from(e.value).toString('utf8')) as AuditEntry);
    return out;
  }
}
