// FrameCodec: msgpack in and out of binary WebSocket frames. One writer and one Decoder per gateway
// process (or client), reused for every frame: both keep an internal buffer, so reuse saves an allocation
// per message. The writer (frame-writer.ts: the library's bytes, written faster) writes bigint as msgpack
// int64/uint64 and the decoder reads 64-bit integers back as bigint, so collateral amounts travel exactly
// both ways.
//
// The decoder's limits refuse hostile frames before they allocate: strings, binaries, arrays and maps past
// their caps, any extension type, nesting deeper than `maxDepth`, and trailing bytes. Every refusal is a
// ProtocolError MALFORMED_FRAME; the frame size itself is capped by the WebSocket server (maxPayload).

import { Decoder } from '@msgpack/msgpack';
import { Code } from '../../engine/codes.js';
import { ProtocolError } from './errors.js';
import { FlatDecoder } from './flat-decoder.js';
import { FrameWriter } from './frame-writer.js';

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

const newBytes = (n: number): Uint8Array => new Uint8Array(n);

export class FrameCodec {
  /** The library's bytes, written faster (frame-writer.ts); frames written from a template use it too. */
  readonly writer = new FrameWriter();
  private readonly decoder: Decoder;
  /** The usual request (one flat map) without the library: flat-decoder.ts. */
  private readonly flat: FlatDecoder;

  constructor(readonly limits: DecoderLimits = DEFAULT_DECODER_LIMITS) {
    this.flat = new FlatDecoder(limits);
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
    return this.writer.encodeSharedRef(message).slice();
  }

  /**
   * `{ ...head, ...body }` as one msgpack map (head's keys first; none may repeat in body), without
   * building the merged object: a user-stream event is its frame's few header fields and the read model's
   * view as it stands (user-stream.ts). Written into `alloc(length)`: by default an ArrayBuffer of its own
   * like encode(); a user stream passes its frame arena (views/frame-arena.ts).
   */
  encodeJoined(head: object, body: object, alloc: (length: number) => Uint8Array = newBytes): Uint8Array {
    const b = this.writer.encodeJoinedSharedRef(head as Record<string, unknown>, body as Record<string, unknown>);
    const out = alloc(b.length);
    out.set(b);
    return out;
  }

  /**
   * The frame's bytes copied into Node's buffer pool: for a frame sent once and dropped (a response).
   * Cheaper than encode(): a fresh ArrayBuffer per frame costs more than encoding a small one.
   */
  encodeToSend(message: object): Uint8Array {
    return Buffer.from(this.writer.encodeSharedRef(message));
  }

  /** Decodes one whole frame, or throws ProtocolError MALFORMED_FRAME. */
  decode(frame: Uint8Array): unknown {
    // What the flat decoder reads is within every limit, its depth included (it checks them).
    const flat = this.flat.decode(frame);
    if (flat !== undefined) return flat;
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
