// IndexTick: one market's index at one instant and the record of how it was reached, as the oracle
// computed it. It enters the market shard as sequenced input, a group of records stamped with the tick's
// time on the market shard's gateway stream:
//
//   RecordIndexSource × n (one per configured source, in sourceId order) ─▶ UpdateIndexPrice (sourceCount n)
//
// so the shard's journal keeps what each source returned next to the index it explains, and a replay
// feeds both back in the same place.

import { IndexOrigin, type IndexSourceStatus, type IndexSourceVerdict } from '../../engine/enums.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { RecordIndexSourceLayout } from '../../engine/ring/layouts/record-index-source.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import type { RecordBuffer } from '../../engine/ring/record.js';

export interface SourceSample {
  readonly sourceId: number;
  readonly venueId: number;
  readonly label: string;
  readonly status: IndexSourceStatus;
  readonly verdict: IndexSourceVerdict;
  readonly httpStatus: number;
  readonly weight: bigint;
  readonly latencyUs: number;
  /** 0n when the source never gave a price. */
  readonly priceTicks: bigint;
  readonly venueTimeUs: number;
  readonly receivedUs: number;
  readonly updatedUs: number;
}

export interface IndexTick {
  readonly marketId: number;
  readonly symbol: string;
  readonly timeUs: number;
  /** 0n when stale. */
  readonly indexTicks: bigint;
  readonly stale: boolean;
  readonly sourcesUsed: number;
  readonly origin: IndexOrigin;
  readonly samples: readonly SourceSample[];
}

const U32_MAX = 0xffff_ffff;

/** Encodes the tick into slots 0..n of buf (RecordIndexSource × n, then UpdateIndexPrice); returns n + 1. */
export function encodeIndexTick(tick: IndexTick, buf: RecordBuffer): number {
  const header = { marketId: tick.marketId, timeUs: tick.timeUs };
  tick.samples.forEach((s, i) => {
    encodeRecord(buf, buf.at(i), RecordIndexSourceLayout, header, {
      sourceId: s.sourceId,
      venue: s.venueId,
      status: s.status,
      verdict: s.verdict,
      httpStatus: s.httpStatus,
      weight: Number(s.weight),
      latencyUs: Math.min(U32_MAX, s.latencyUs),
      priceTicks: Number(s.priceTicks),
      venueTimeUs: s.venueTimeUs,
      receivedUs: s.receivedUs,
      updatedUs: s.updatedUs,
    });
  });
  const n = tick.samples.length;
  encodeRecord(buf, buf.at(n), UpdateIndexPriceLayout, header, {
    indexPriceTicks: Number(tick.indexTicks),
    sourcesUsed: Math.min(255, tick.sourcesUsed),
    stale: tick.stale ? 1 : 0,
    origin: tick.origin,
    sourceCount: n,
  });
  return n + 1;
}

export { IndexOrigin };
