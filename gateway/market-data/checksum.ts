// The book checksum (docs/MARKET-DATA.md, "Checksum"): CRC-32 (IEEE 802.3, the zlib polynomial) of the
// ASCII string built from the top 25 levels of each side, interleaved best-first:
//
//   bid1Price:bid1Qty:ask1Price:ask1Qty:bid2Price:bid2Qty:ask2Price:ask2Qty: … (up to 25 each)
//
// in integer ticks and lots as decimal digits with no sign, leading zeros or separators; a side with fewer
// levels contributes only the levels it has; an empty book is the empty string (checksum 0). Order counts
// are not in it. The value is an unsigned 32-bit integer. A client computes it on its own book after
// applying each diff and compares it with the diff's `checksum`.
//
// bookChecksum writes the ASCII bytes straight into one reused buffer and takes the CRC of those: the
// same bytes as checksumString (which states the format, and which tests compare it with), without the
// strings a diff's checksum would otherwise allocate on the hub's thread for every diff.

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

/** Longest decimal of a safe integer (2^53 - 1 has 16 digits). */
const MAX_DIGITS = 16;
const COLON = 0x3a;
const ZERO = 0x30;
let scratch = Buffer.alloc(4 * CHECKSUM_LEVELS * (MAX_DIGITS + 1));

/** Writes v (a non-negative safe integer) in decimal at pos; returns the position after it. */
function writeDecimal(buf: Buffer, pos: number, v: number): number {
  let digits = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  let at = pos + digits;
  for (let x = v; ; x = Math.floor(x / 10)) {
    buf[--at] = ZERO + (x % 10);
    if (x < 10) break;
  }
  return pos + digits;
}

/** Writes `:price:qty` (no leading colon at the start) at pos; returns the position after it. */
function writeLevel(buf: Buffer, pos: number, price: number, qty: number): number {
  if (pos > 0) buf[pos++] = COLON;
  pos = writeDecimal(buf, pos, price);
  buf[pos++] = COLON;
  return writeDecimal(buf, pos, qty);
}

export function bookChecksum(book: TopLevels, levels = CHECKSUM_LEVELS): number {
  const need = 4 * levels * (MAX_DIGITS + 1);
  if (scratch.length < need) scratch = Buffer.alloc(need);
  const buf = scratch;
  const b = book.bids.prices;
  const a = book.asks.prices;
  let pos = 0;
  for (let i = 0; i < levels; i++) {
    const bp = b[i];
    const ap = a[i];
    if (bp === undefined && ap === undefined) break;
    if (bp !== undefined) pos = writeLevel(buf, pos, bp, book.bids.qtyAt(bp));
    if (ap !== undefined) pos = writeLevel(buf, pos, ap, book.asks.qtyAt(ap));
  }
  return crc32(buf.subarray(0, pos)) >>> 0;
}
