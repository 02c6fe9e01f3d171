// The book checksum (docs/MARKET-DATA.md, "Checksum"): CRC-32 (IEEE 802.3, the zlib polynomial) of the
// ASCII string built from the top 25 levels of each side, interleaved best-first:
//
//   bid1Price:bid1Qty:ask1Price:ask1Qty:bid2Price:bid2Qty:ask2Price:ask2Qty: … (up to 25 each)
//
// in integer ticks and lots as decimal digits with no sign, leading zeros or separators; a side with fewer
// levels contributes only the levels it has; an empty book is the empty string (checksum 0). Order counts
// are not in it. The value is an unsigned 32-bit integer. A client computes it on its own book after
// applying each diff and compares it with the diff's `checksum`.

import { crc32 } from 'node:zlib';

export const CHECKSUM_LEVELS = 25;

interface TopLevels {
  topBids(n: number): readonly (readonly [number, number, number])[];
  topAsks(n: number): readonly (readonly [number, number, number])[];
}

export function checksumString(book: TopLevels, levels = CHECKSUM_LEVELS): string {
  const bids = book.topBids(levels);
  const asks = book.topAsks(levels);
  const parts: string[] = [];
  for (let i = 0; i < levels; i++) {
    const b = bids[i];
    const a = asks[i];
    if (!b && !a) break;
    if (b) parts.push(`${b[0]}:${b[1]}`);
    if (a) parts.push(`${a[0]}:${a[1]}`);
  }
  return parts.join(':');
}

export function bookChecksum(book: TopLevels, levels = CHECKSUM_LEVELS): number {
  return crc32(checksumString(book, levels)) >>> 0;
}
