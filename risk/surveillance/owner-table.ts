// OwnerTable: which accounts operators declared to share a beneficial owner (SetBeneficialOwner records).
// Accounts of one owner, or of a group an operator links, carry the same owner id; 0 is "none declared".
// Wash trading between them and front-running of one by another are what the linked detectors look for.

export class OwnerTable {
  private readonly ownerOf = new Map<number, number>();

  set(accountId: number, ownerId: number): void {
    if (ownerId === 0) this.ownerOf.delete(accountId);
    else this.ownerOf.set(accountId, ownerId);
  }

  owner(accountId: number): number {
    return this.ownerOf.get(accountId) ?? 0;
  }

  /** True when two different accounts have the same declared owner. */
  linked(a: number, b: number): boolean {
    if (a === b) return false;
    const oa = this.ownerOf.get(a);
    return oa !== undefined && oa === this.ownerOf.get(b);
  }

  get size(): number {
    return this.ownerOf.size;
  }

  /** [accountId, ownerId] pairs in ascending account order (state hash). */
  entries(): [number, number][] {
    return [...this.ownerOf.entries()].sort((x, y) => x[0] - y[0]);
  }
}
