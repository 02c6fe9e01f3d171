// OwnerLinks: the beneficial-owner links operators declare (which accounts belong to one owner or to a
// group the operator links), kept on the main thread and stored through AlertStorage before they count.
// The surveillance engine learns each link from a SetBeneficialOwner record on its control input; links
// are not in the shards' journals, so a restarted exchange gives the engine every stored link before its
// market shards replay (pairs()), and a replay of an alert is given them too (alert-replay.ts).
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

export class OwnerLinks {
  private readonly byAccount = new Map<number, OwnerLink>();

  constructor(private readonly storage: AlertStorage) {}

  async load(): Promise<void> {
    for (const l of await this.storage.loadOwners()) this.byAccount.set(l.accountId, l);
  }

  /** Checks a declaration, stores it, and only then counts it; ownerId 0 removes the account's link. */
  async set(link: OwnerLink): Promise<OwnerLink> {
    if (!Number.isInteger(link.accountId) || link.accountId < 1 || link.accountId > MAX_ACCOUNT) throw new OwnerLinkError(`account must be an integer from 1 to ${MAX_ACCOUNT}`);
    if (!Number.isSafeInteger(link.ownerId) || link.ownerId < 0) throw new OwnerLinkError('owner must be an integer from 0 (remove the link) to 2^53 - 1');
    const note = link.note.trim();
    if (note.length === 0 || note.length > MAX_NOTE) throw new OwnerLinkError(`a note of 1 to ${MAX_NOTE} characters is required`);
    const stored = { ...link, note };
    await this.storage.putOwner(stored);
    this.byAccount.set(stored.accountId, stored);
    return stored;
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
