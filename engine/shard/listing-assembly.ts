// ListMarket parts put back together, per input stream (engine/ring/layouts/list-market.ts). A listing's
// parts arrive in a row on one stream; the shard keeps the bytes gathered so far for each stream in the
// middle of one, so this is shard state: hashed and in snapshots (a snapshot may fall between two parts).
//
// A part is taken when it continues its stream's group (same request id, market, shard, part count and
// length; the next part number) or starts one (part 0 on a stream in no group). Anything else (a part out
// of turn, a part 0 in the middle of a group, a length the part count cannot hold, a chunk whose padding
// is not zero) is refused LISTING_INCOMPLETE and drops the stream's group: a journal that lost or
// reordered parts can never list a market from the wrong bytes. The gateway writes a group in one offer,
// so a live exchange never sees one broken.

import { Code } from '../codes.js';
import { LISTING_CHUNK_AT, LISTING_CHUNK_BYTES, ListMarketLayout, MAX_LISTING_PARTS } from '../ring/layouts/list-market.js';
import type { RecordBuffer } from '../ring/record.js';
import { plainRecord } from '../snapshot/plain-check.js';
import { malformed } from '../snapshot/snapshot-error.js';

const LM = ListMarketLayout.offsets;

/** A group in the middle of arriving (the snapshot form too: plain fields and the bytes so far). */
export interface PendingListing {
  readonly input: number;
  readonly requestId: number;
  readonly marketId: number;
  readonly shard: number;
  readonly parts: number;
  readonly bytes: number;
  /** Parts taken so far. */
  next: number;
  readonly data: Uint8Array;
}

/** What a part did: OK and `complete` set on the last part, OK alone on another, else the refusal's code. */
export interface PartOutcome {
  code: number;
  complete?: PendingListing;
}

export class ListingAssembly {
  /** By input index. */
  private readonly pending = new Map<number, PendingListing>();

  /** Takes one ListMarket part from `input` (its u53 fields already range-checked). */
  take(buf: RecordBuffer, at: number, input: number): PartOutcome {
    const requestId = buf.u53At(at, LM.requestId);
    const marketId = buf.marketId(at);
    const shard = buf.u16At(at, LM.shard);
    const part = buf.u8At(at, LM.part);
    const parts = buf.u8At(at, LM.parts);
    const bytes = buf.u16At(at, LM.bytes);
    const open = this.pending.get(input);
    const fits = parts >= 1 && parts <= MAX_LISTING_PARTS && bytes > (parts - 1) * LISTING_CHUNK_BYTES && bytes <= parts * LISTING_CHUNK_BYTES;
    const continues =
      open === undefined
        ? part === 0
        : part === open.next && requestId === open.requestId && marketId === open.marketId && shard === open.shard && parts === open.parts && bytes === open.bytes;
    if (!fits || !continues || requestId < 1 || buf.u16At(at, LM.reserved) !== 0) return this.refuse(input);
    const g = open ?? { input, requestId, marketId, shard, parts, bytes, next: 0, data: new Uint8Array(bytes) };
    const from = part * LISTING_CHUNK_BYTES;
    const n = Math.min(LISTING_CHUNK_BYTES, bytes - from);
    const u8 = buf.u8;
    // The padding after the last byte must be zero: one listing, one byte form, in the journal too.
    for (let i = n; i < LISTING_CHUNK_BYTES; i++) if (u8[at + LISTING_CHUNK_AT + i] !== 0) return this.refuse(input);
    g.data.set(u8.subarray(at + LISTING_CHUNK_AT, at + LISTING_CHUNK_AT + n), from);
    g.next = part + 1;
    if (g.next < parts) {
      this.pending.set(input, g);
      return { code: Code.OK };
    }
    this.pending.delete(input);
    return { code: Code.OK, complete: g };
  }

  private refuse(input: number): PartOutcome {
    this.pending.delete(input);
    return { code: Code.LISTING_INCOMPLETE };
  }

  /** Groups in the middle of arriving, ascending input (snapshots, hash). */
  snapshot(): PendingListing[] {
    return [...this.pending.values()].sort((a, b) => a.input - b.input);
  }

  /** Snapshot decode: refuses a group no sequence of parts could have left. */
  restore(groups: readonly PendingListing[], inputs: number): void {
    this.pending.clear();
    for (const g of groups) {
      const ok =
        Number.isInteger(g.input) && g.input >= 0 && g.input < inputs && !this.pending.has(g.input) &&
        g.parts >= 2 && g.parts <= MAX_LISTING_PARTS && g.next >= 1 && g.next < g.parts &&
        g.bytes > (g.parts - 1) * LISTING_CHUNK_BYTES && g.bytes <= g.parts * LISTING_CHUNK_BYTES && g.data.length === g.bytes &&
        g.requestId >= 1 && Number.isSafeInteger(g.requestId) && g.marketId >= 0 && g.marketId <= 0xffff && g.shard >= 0 && g.shard <= 0xffff;
      if (!ok) throw malformed(`a pending listing on input ${g.input} no sequence of parts leaves`);
      this.pending.set(g.input, { ...g, data: Uint8Array.from(g.data) });
    }
  }

  /** The groups as hash words: each group's fields, then its bytes so far eight at a time. */
  stateParts(): bigint[] {
    const out: bigint[] = [];
    for (const g of this.snapshot()) {
      out.push(BigInt(g.input), BigInt(g.requestId), BigInt(g.marketId), BigInt(g.shard), BigInt(g.parts), BigInt(g.bytes), BigInt(g.next));
      out.push(...bytesAsWords(g.data.subarray(0, Math.min(g.bytes, g.next * LISTING_CHUNK_BYTES))));
    }
    return out;
  }
}

/** A snapshot's pending group as MessagePack decoded it, shape-checked (restore checks the rest). */
export function pendingFromPlain(v: unknown): PendingListing {
  const r = plainRecord(v, 'CONF pending');
  const data = r.value('data');
  if (!(data instanceof Uint8Array)) throw malformed('CONF pending: data is not bytes');
  return { input: r.uint('input'), requestId: r.uint('requestId'), marketId: r.uint('marketId'), shard: r.uint('shard'), parts: r.uint('parts'), bytes: r.uint('bytes'), next: r.uint('next'), data };
}

/** Bytes as 64-bit words, little-endian, the last one zero-padded; the length first. */
export function bytesAsWords(b: Uint8Array): bigint[] {
  const out: bigint[] = [BigInt(b.length)];
  for (let i = 0; i < b.length; i += 8) {
    let w = 0n;
    for (let j = Math.min(7, b.length - i - 1); j >= 0; j--) w = (w << 8n) | BigInt(b[i + j]!);
    out.push(w);
  }
  return out;
}

/** The fields every part of a group carries besides its number and chunk. */
export interface ListingHeader {
  readonly timeUs: number;
  readonly marketId: number;
  readonly flags: number;
  readonly requestId: number;
  readonly shard: number;
}

/**
 * Writes part `part` of a listing's bytes as a ListMarket record into slot `at` (its header fields but the
 * seq: type, time, market, flags; accountId 0). The gateway and the risk shards write groups with it.
 */
export function writeListingPart(buf: RecordBuffer, at: number, h: ListingHeader, listing: Uint8Array, part: number): void {
  buf.begin(at, ListMarketLayout.type, h.timeUs, h.marketId, 0);
  buf.setFlags(at, h.flags);
  buf.setU53(at, LM.requestId, h.requestId);
  buf.setU16(at, LM.shard, h.shard);
  buf.setU8(at, LM.part, part);
  buf.setU8(at, LM.parts, listingParts(listing.length));
  buf.setU16(at, LM.bytes, listing.length);
  const from = part * LISTING_CHUNK_BYTES;
  buf.u8.set(listing.subarray(from, Math.min(listing.length, from + LISTING_CHUNK_BYTES)), at + LISTING_CHUNK_AT);
}

/** How many ListMarket parts a listing of this many bytes takes. */
export function listingParts(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / LISTING_CHUNK_BYTES));
}
