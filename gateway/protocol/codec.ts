// FrameCodec: msgpack in and out of binary WebSocket frames. One Encoder and one Decoder per gateway
// process (or client), reused for every frame: both keep an internal buffer, so reuse saves an allocation
// per message. The encoder writes bigint as msgpack int64/uint64 and the decoder reads 64-bit integers
// back as bigint, so collateral amounts travel exactly both ways.
//
// The decoder's limits refuse hostile frames before they allocate: strings, binaries, arrays and maps past
// their caps, any extension type, nesting deeper than `maxDepth`, and trailing bytes. Every refusal is a
// ProtocolError MALFORMED_FRAME; the frame size itself is capped by the WebSocket server (maxPayload).

import { Decoder, Encoder } from '@msgpack/msgpack';
import { Code } from '../../engine/codes.js';
import { withCachedStrings } from './cached-strings.js';
import { ProtocolError } from './errors.js';

export interface DecoderLimits {
  /** Longest string, in UTF-8 bytes (default 1,024). */
  readonly maxStrLength: number;
  /** Longest binary (default 256: a signature is 64). */
  readonly maxBinLength: number;
  /** Most array items (default 64: a batch holds at most 20). */
  readonly maxArrayLength: number;
  /** Most map entries (default 64). */
  readonly maxMapLength: number;
  /** Deepest nesting of maps and arrays (default 4: a batch item's fields are at depth 3). */
  readonly maxDepth: number;
}

export const DEFAULT_DECODER_LIMITS: DecoderLimits = { maxStrLength: 1024, maxBinLength: 256, maxArrayLength: 64, maxMapLength: 64, maxDepth: 4 };

/** True when maps and arrays nest deeper than `limit` (stops descending as soon as they do). */
function tooDeep(v: unknown, limit: number): boolean {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return false;
  if (limit === 0) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (tooDeep(x, limit - 1)) return true;
  } else {
    const m = v as Record<string, unknown>;
    for (const k in m) if (tooDeep(m[k], limit - 1)) return true;
  }
  return false;
}

/** Entries of the msgpack map `m` starts with (fixmap or map 16: a frame's maps are never larger). */
function mapSize(m: Uint8Array): number {
  const t = m[0]!;
  if (t >= 0x80 && t <= 0x8f) return t - 0x80;
  if (t === 0xde) return (m[1]! << 8) | m[2]!;
  throw new Error('not a map of fewer than 65,536 entries');
}

const newBytes = (n: number): Uint8Array => new Uint8Array(n);

const encoderOptions = { useBigInt64: true, ignoreUndefined: true, initialBufferSize: 4096 } as const;

export class FrameCodec {
  private readonly encoder = withCachedStrings(new Encoder(encoderOptions));
  /** The head of encodeJoined(), encoded while the body's bytes are still in `encoder`'s buffer. */
  private readonly headEncoder = withCachedStrings(new Encoder(encoderOptions));
  private readonly decoder: Decoder;

  constructor(readonly limits: DecoderLimits = DEFAULT_DECODER_LIMITS) {
    this.decoder = new Decoder({
      useBigInt64: true,
      maxStrLength: limits.maxStrLength,
      maxBinLength: limits.maxBinLength,
      maxArrayLength: limits.maxArrayLength,
      maxMapLength: limits.maxMapLength,
      maxExtLength: 0,
    });
  }

  /**
   * The frame's bytes in an ArrayBuffer of their own: for frames kept a long time (a user stream's replay
   * ring), which must not pin a slab of Node's buffer pool.
   */
  encode(message: object): Uint8Array {
    return this.encoder.encode(message);
  }

  /**
   * `{ ...head, ...body }` as one msgpack map (head's keys first; none may repeat in body), without
   * building the merged object: a user-stream event is its frame's few header fields and the read model's
   * view as it stands (user-stream.ts). Written into `alloc(length)`: by default an ArrayBuffer of its own
   * like encode(); a user stream passes its frame arena (views/frame-arena.ts).
   */
  encodeJoined(head: object, body: object, alloc: (length: number) => Uint8Array = newBytes): Uint8Array {
    const h = this.headEncoder.encodeSharedRef(head);
    const b = this.encoder.encodeSharedRef(body);
    const hCount = mapSize(h);
    const bCount = mapSize(b);
    const count = hCount + bCount;
    const hSkip = h[0]! === 0xde ? 3 : 1;
    const bSkip = b[0]! === 0xde ? 3 : 1;
    const headerLength = count < 16 ? 1 : 3;
    const out = alloc(headerLength + h.length - hSkip + b.length - bSkip);
    if (count < 16) out[0] = 0x80 + count;
    else {
      out[0] = 0xde;
      out[1] = count >>> 8;
      out[2] = count & 0xff;
    }
    out.set(h.subarray(hSkip), headerLength);
    out.set(b.subarray(bSkip), headerLength + h.length - hSkip);
    return out;
  }

  /**
   * The frame's bytes copied into Node's buffer pool: for a frame sent once and dropped (a response).
   * Cheaper than encode(): a fresh ArrayBuffer per frame costs more than encoding a small one.
   */
  encodeToSend(message: object): Uint8Array {
    return Buffer.from(this.encoder.encodeSharedRef(message));
  }

  /** Decodes one whole frame, or throws ProtocolError MALFORMED_FRAME. */
  decode(frame: Uint8Array): unknown {
    let v: unknown;
    try {
      v = this.decoder.decode(frame);
    } catch (e) {
      throw new ProtocolError(Code.MALFORMED_FRAME, `not a msgpack frame within the limits: ${(e as Error).message}`);
    }
    if (tooDeep(v, this.limits.maxDepth)) throw new ProtocolError(Code.MALFORMED_FRAME, `nested deeper than ${this.limits.maxDepth}`);
    return v;
  }
}
