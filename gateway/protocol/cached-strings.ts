// Cached string bytes for a msgpack Encoder. The gateway's frames repeat the same few short strings in
// every message (map keys such as `orderId` and `clientOrderId`, enum values such as `buy`, `limit`,
// `open`), and @msgpack/msgpack encodes each one character by character every time: in the gateway-order
// profile that was a third of all encoding. withCachedStrings() makes an Encoder copy the encoded bytes
// (msgpack header and UTF-8) of a short string it has seen before instead.
//
// The bytes written are exactly the library's own (test/gateway/cached-strings.test.ts). The cache is
// bounded: at most MAX_ENTRIES strings of at most MAX_LENGTH characters, learnt as they come and never
// evicted; once full, other strings are encoded as before (a client's own strings can only fill it, not
// grow it, and then cost what they cost without it).

import { Encoder } from '@msgpack/msgpack';

export const MAX_LENGTH = 24;
export const MAX_ENTRIES = 2_048;

/** The Encoder internals the cached path writes through (private in the library's types). */
interface EncoderInternals {
  pos: number;
  bytes: Uint8Array;
  ensureBufferSizeToWrite(n: number): void;
  encodeString(s: string): void;
}

/** `encoder`, with its strings served from a cache (the same encoder, returned for convenience). */
export function withCachedStrings<E extends Encoder<undefined>>(encoder: E): E {
  const e = encoder as unknown as EncoderInternals;
  const plain = e.encodeString;
  const once = new Encoder();
  const cache = new Map<string, Uint8Array>();
  e.encodeString = function (this: EncoderInternals, s: string): void {
    let b = cache.get(s);
    if (b === undefined) {
      if (s.length > MAX_LENGTH || cache.size >= MAX_ENTRIES) return plain.call(this, s);
      cache.set(s, (b = once.encode(s)));
    }
    const n = b.length;
    this.ensureBufferSizeToWrite(n);
    const out = this.bytes;
    let p = this.pos;
    for (let i = 0; i < n; i++) out[p++] = b[i]!;
    this.pos = p;
  };
  return encoder;
}
