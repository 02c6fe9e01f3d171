// The echo peer's answer (echo-server.ts): to each request frame, the smallest answer of the gateway's
// shape, {t: "res", id, ok: true, rx: 0, tx: 0, rl: 0}, with the request's id. The id is read from the
// frame's first bytes where the client puts it ({op, id, ...}: gateway/client/client.ts writes op, then
// id) and the answer's bytes are written by hand, so the peer costs what a server answering by id must;
// any other frame is decoded in full (a reused msgpack Decoder) and answered with a reused Encoder.

import { Decoder, Encoder } from '@msgpack/msgpack';

const decoder = new Decoder();
const encoder = new Encoder();

/** The id of a frame that starts {op: <fixstr>, id: <unsigned int below 2^32>, ...}, else undefined. */
export function leadingId(b: Uint8Array): number | undefined {
  const h = b[0]!;
  let p = h >= 0x82 && h <= 0x8f ? 1 : h === 0xde ? 3 : 0;
  if (p === 0 || b.length < p + 8 || b[p] !== 0xa2 || b[p + 1] !== 0x6f || b[p + 2] !== 0x70) return undefined;
  p += 3;
  const len = b[p]! - 0xa0;
  if (len < 0 || len > 31) return undefined;
  p += 1 + len;
  if (b.length < p + 4 || b[p] !== 0xa2 || b[p + 1] !== 0x69 || b[p + 2] !== 0x64) return undefined;
  p += 3;
  const v = b[p]!;
  if (v < 0x80) return v;
  if (v === 0xcc && b.length > p + 1) return b[p + 1]!;
  if (v === 0xcd && b.length > p + 2) return (b[p + 1]! << 8) | b[p + 2]!;
  if (v === 0xce && b.length > p + 4) return ((b[p + 1]! << 24) >>> 0) + ((b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!);
  return undefined;
}

// {t: "res", id: <uint32>, ok: true, rx: 0, tx: 0, rl: 0}; the id's four bytes at ID_AT
const HEAD = [0x86, 0xa1, 0x74, 0xa3, 0x72, 0x65, 0x73, 0xa2, 0x69, 0x64, 0xce];
const TAIL = [0xa2, 0x6f, 0x6b, 0xc3, 0xa2, 0x72, 0x78, 0x00, 0xa2, 0x74, 0x78, 0x00, 0xa2, 0x72, 0x6c, 0x00];
const ID_AT = HEAD.length;
const TEMPLATE = Buffer.from([...HEAD, 0, 0, 0, 0, ...TAIL]);

/** The answer to one request frame, or undefined for a frame without a numeric id. */
export function answer(data: Uint8Array): Uint8Array | undefined {
  const fast = leadingId(data);
  if (fast !== undefined) {
    // Its own bytes per answer: ws writes them after send returns.
    const out = Buffer.allocUnsafe(TEMPLATE.length);
    TEMPLATE.copy(out);
    out.writeUInt32BE(fast, ID_AT);
    return out;
  }
  let id: unknown;
  try {
    id = (decoder.decode(data) as Record<string, unknown> | null)?.['id'];
  } catch {
    return undefined;
  }
  if (typeof id !== 'number') return undefined;
  return encoder.encode({ t: 'res', id, ok: true, rx: 0, tx: 0, rl: 0 });
}
