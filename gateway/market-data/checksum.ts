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

interface Side {
  readonly prices: readonly number[];
  qtyAt(priceTicks: number): number;
}

interface TopLevels {
  readonly bids: Side;
  readonly asks: Side;
}

export function checksumString(book: TopLevels, levels = CHECKSUM_LEVELS): string {
  const b = book.bids.prices;
  const a = book.asks.prices;
  let s = '';
  for (let i = 0; i < levels; i++) {
    const bp = b[i];
    const ap = a[i];
    if (bp === undefined && ap === undefined) break;
    if (bp !== undefined) s += `${s === '' ? '' : ':'}${bp}:${book.bids.qtyAt(bp)}`;
    if (ap !== undefined) s += `${s === '' ? '' : ':'}${ap}:${book.asks.qtyAt(ap)}`;
  }
  return s;
}

export function bookChecksum(book: TopLevels, levels = CHECKSUM_LEVELS): number {
  return crc32(checksumString(book, levels)) >>> 0;
}
