// OwnerLinks: the beneficial-owner links operators declare (which accounts belong to one owner or to a
// group the operator links), kept on the main thread and stored through AlertStorage before they count.
// The surveillance engine learns each link from a SetBeneficialOwner record on its control input; links
// are not in the shards' journals, so a restarted exchange gives the engine every link in force before
// its market shards replay (pairs()). Every declaration is also kept in the owner log, with the time it
// took effect, so an alert's replay is given the links as they were while its episode ran (history(),
// alert-replay.ts), not as they are now.
//
// Thread contract: the main thread only.

import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { SetBeneficialOwnerLayout } from '../../engine/ring/layouts/set-beneficial-owner.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import type { AlertStorage, OwnerLink } from './alert-storage.js';

/** Account ids are the records' u32 header field; 0 is no account. */
const MAX_ACCOUNT = 0xffff_ffff;
const MAX_NOTE = 2_000;

export class OwnerLinkError extends Error {}

/** One change of an account's link (owner 0: removed), in force from atUs (µs, the records' clock). */
export interface OwnerChange {
  readonly accountId: number;
  readonly ownerId: number;
  readonly atUs: number;
}

export class OwnerLinks {
  private readonly byAccount = new Map<number, OwnerLink>();
  /** The owner log, in the order declared. */
  private readonly log: OwnerLink[] = [];
  /** Declarations are stored one at a time: each takes the next log entry. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: AlertStorage) {}

  async load(): Promise<void> {
    for (const l of await this.storage.loadOwners()) this.byAccount.set(l.accountId, l);
    this.log.push(...(await this.storage.loadOwnerLog()));
  }

  /** Checks a declaration, stores it (and its log entry), and only then counts it; ownerId 0 removes the account's link. */
  set(link: OwnerLink): Promise<OwnerLink> {
    if (!Number.isInteger(link.accountId) || link.accountId < 1 || link.accountId > MAX_ACCOUNT) return Promise.reject(new OwnerLinkError(`account must be an integer from 1 to ${MAX_ACCOUNT}`));
    if (!Number.isSafeInteger(link.ownerId) || link.ownerId < 0) return Promise.reject(new OwnerLinkError('owner must be an integer from 0 (remove the link) to 2^53 - 1'));
    const note = link.note.trim();
    if (note.length === 0 || note.length > MAX_NOTE) return Promise.reject(new OwnerLinkError(`a note of 1 to ${MAX_NOTE} characters is required`));
    const stored = { ...link, note };
    const done = this.queue.then(async () => {
      await this.storage.putOwner(stored, this.log.length + 1);
      this.log.push(stored);
      this.byAccount.set(stored.accountId, stored);
      return stored;
    });
    this.queue = done.catch(() => {});
    return done;
  }

  /** Every change of a link, oldest first (ownerHistory). */
  history(): OwnerChange[] {
    return ownerHistory(this.list(), this.log);
  }

  /** The links in force (owner ≠ 0), in account order; of one owner when given. */
  list(ownerId?: number): OwnerLink[] {
    return [...this.byAccount.values()]
      .filter((l) => l.ownerId !== 0 && (ownerId === undefined || l.ownerId === ownerId))
      .sort((a, b) => a.accountId - b.accountId);
  }

  /** [account, owner] of every link in force: what a surveillance engine starting afresh is given. */
  pairs(): [number, number][] {
    return this.list().map((l) => [l.accountId, l.ownerId]);
  }
}

/** Encodes the SetBeneficialOwner record of a link into slot 0 of buf (the stream stamps its seq). */
export function ownerRecord(buf: RecordBuffer, accountId: number, ownerId: number): void {
  encodeRecord(buf, 0, SetBeneficialOwnerLayout, { accountId, timeUs: 0 }, { ownerId });
}

/**
 * The changes of links over time, in the order they took effect: the owner log's entries, and a link in
 * force that the log does not hold (declared before the log was kept) from its own declaration's time.
 */
export function ownerHistory(inForce: readonly OwnerLink[], log: readonly OwnerLink[]): OwnerChange[] {
  const logged = new Set(log.map((l) => l.accountId));
  const changes = [...log, ...inForce.filter((l) => l.ownerId !== 0 && !logged.has(l.accountId))].map((l) => ({ accountId: l.accountId, ownerId: l.ownerId, atUs: l.atUs }));
  // A stable sort: entries of one time keep the order they were declared in.
  return changes.sort((a, b) => a.atUs - b.atUs);
}
