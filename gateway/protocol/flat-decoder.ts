// FlatDecoder: the common frame, decoded without the library. A request is almost always one flat msgpack
// map: up to 15 entries (a fixmap), short ASCII keys, and values that are small integers, short ASCII
// strings, booleans, nil, 64-bit integers, floats or a short binary (a signature); a batch nests maps in an
// array, and a response (what the client decodes, gateway/client/client.ts) nests its data. For exactly
// those shapes (maps and arrays of up to 65,535 entries, nested within the limits' maxDepth, map keys
// short ASCII strings) this decoder builds the object @msgpack/msgpack's Decoder would (the codec's
// options: useBigInt64; its limits), in one pass with no state stack and no per-string array; for anything
// else (longer strings, non-ASCII bytes, a __proto__ key, deeper nesting, trailing or missing bytes) it
// returns undefined and the library decodes the frame, refusals and all. Reading nested frames too cut the
// client's decode of a place's response from 3.9 to 1.4 µs (bench/RESULTS.md, "loadgensdk"): it used to
// read the response's header here, give up at its data, and decode the whole frame again with the library. test/gateway/flat-decoder.test.ts compares
// the two on fixed and random frames.
//
// Short strings come from a bounded cache keyed by their bytes (a key or an enum value is decoded once,
// then found by a hash of its bytes and one comparison), so a request's strings allocate nothing; a
// client's own strings can only replace entries, never grow the cache.

import type { DecoderLimits } from './codec.js';

const SLOTS = 1024;

interface Cached {
  readonly bytes: Uint8Array;
  readonly str: string;
}

export class FlatDecoder {
  private readonly cache: (Cached | undefined)[] = new Array<Cached | undefined>(SLOTS).fill(undefined);

  constructor(private readonly limits: DecoderLimits) {}

  /** The frame's object, or undefined when it is not a map this decoder reads (the library then does). */
  decode(b: Uint8Array): Record<string, unknown> | undefined {
    const n = b.length;
    if (n === 0) return undefined;
    const head = b[0]!;
    let m: Record<string, unknown> | undefined;
    if (head >= 0x81 && head <= 0x8f) m = this.map(b, 1, head - 0x80, 1);
    else if (head === 0xde && n >= 3 && (b[1]! | b[2]!) !== 0) m = this.map(b, 3, (b[1]! << 8) | b[2]!, 1);
    else return undefined;
    return m !== undefined && this.end === n ? m : undefined;
  }

  /** Where the last map, array or value read ended (no tuple allocated per value). */
  private end = 0;

  /** The map of `size` entries whose first key is at p, at nesting `depth` (the frame's map: 1). */
  private map(b: Uint8Array, p: number, size: number, depth: number): Record<string, unknown> | undefined {
    const n = b.length;
    if (size > this.limits.maxMapLength || depth > this.limits.maxDepth) return undefined;
    const m: Record<string, unknown> = {};
    for (let i = 0; i < size; i++) {
      // the key: a fixstr of 1-31 ASCII bytes
      if (p >= n) return undefined;
      const kh = b[p]!;
      if (kh < 0xa1 || kh > 0xbf) return undefined;
      const klen = kh - 0xa0;
      const key = this.ascii(b, p + 1, klen);
      if (key === undefined || key === '__proto__') return undefined;
      p += 1 + klen;
      // the commonest values read here, the rest by value()
      const vh = b[p];
      if (vh !== undefined && vh < 0x80) {
        m[key] = vh;
        p += 1;
        continue;
      }
      if (vh !== undefined && vh >= 0xa1 && vh <= 0xbf) {
        const s = this.ascii(b, p + 1, vh - 0xa0);
        if (s === undefined) return undefined;
        m[key] = s;
        p += 1 + vh - 0xa0;
        continue;
      }
      const v = this.value(b, p, depth);
      if (v === undefined) return undefined;
      p = this.end;
      m[key] = v;
    }
    this.end = p;
    return m;
  }

  /** The array of `len` items whose first is at p, at nesting `depth`. */
  private array(b: Uint8Array, p: number, len: number, depth: number): unknown[] | undefined {
    if (len > this.limits.maxArrayLength || depth > this.limits.maxDepth) return undefined;
    const a: unknown[] = [];
    for (let i = 0; i < len; i++) {
      const v = this.value(b, p, depth);
      if (v === undefined) return undefined;
      p = this.end;
      a.push(v);
    }
    this.end = p;
    return a;
  }

  /**
   * The value at p inside a container at nesting `depth`, its end in `this.end`; undefined (never a msgpack
   * value) when this decoder does not read it.
   */
  private value(b: Uint8Array, p: number, depth: number): unknown {
    const n = b.length;
    const limits = this.limits;
    if (p >= n) return undefined;
    const vh = b[p]!;
    let v: unknown;
    if (vh < 0x80) {
      v = vh;
      p += 1;
    } else if (vh >= 0xe0) {
      v = vh - 0x100;
      p += 1;
    } else if (vh >= 0xa0 && vh <= 0xbf) {
      const len = vh - 0xa0;
      const s = len === 0 ? '' : this.ascii(b, p + 1, len);
      if (s === undefined) return undefined;
      v = s;
      p += 1 + len;
    } else if (vh <= 0x8f) {
      return this.map(b, p + 1, vh - 0x80, depth + 1);
    } else if (vh <= 0x9f) {
      return this.array(b, p + 1, vh - 0x90, depth + 1);
    } else {
      switch (vh) {
        case 0xdc:
        case 0xde: {
          // array 16, map 16
          if (p + 3 > n) return undefined;
          const len = (b[p + 1]! << 8) | b[p + 2]!;
          return vh === 0xdc ? this.array(b, p + 3, len, depth + 1) : this.map(b, p + 3, len, depth + 1);
        }
        case 0xc0:
          v = null;
          p += 1;
          break;
        case 0xc2:
          v = false;
          p += 1;
          break;
        case 0xc3:
          v = true;
          p += 1;
          break;
        case 0xcc:
          if (p + 2 > n) return undefined;
          v = b[p + 1]!;
          p += 2;
          break;
        case 0xcd:
          if (p + 3 > n) return undefined;
          v = (b[p + 1]! << 8) | b[p + 2]!;
          p += 3;
          break;
        case 0xce:
          if (p + 5 > n) return undefined;
          v = u32(b, p + 1);
          p += 5;
          break;
        case 0xd0:
          if (p + 2 > n) return undefined;
          v = (b[p + 1]! << 24) >> 24;
          p += 2;
          break;
        case 0xd1:
          if (p + 3 > n) return undefined;
          v = (((b[p + 1]! << 8) | b[p + 2]!) << 16) >> 16;
          p += 3;
          break;
        case 0xd2:
          if (p + 5 > n) return undefined;
          v = u32(b, p + 1) | 0;
          p += 5;
          break;
        case 0xcf:
        case 0xd3: {
          // 64-bit integers as bigint (useBigInt64), exactly
          if (p + 9 > n) return undefined;
          const u = (BigInt(u32(b, p + 1)) << 32n) | BigInt(u32(b, p + 5));
          v = vh === 0xcf ? u : BigInt.asIntN(64, u);
          p += 9;
          break;
        }
        case 0xca:
        case 0xcb: {
          // floats (a client's encoder writes an integer past 32 bits as a float 64), read big-endian
          const w = vh === 0xca ? 4 : 8;
          if (p + 1 + w > n) return undefined;
          for (let j = 0; j < w; j++) F_BYTES[j] = b[p + 1 + j]!;
          v = w === 4 ? F_VIEW.getFloat32(0) : F_VIEW.getFloat64(0);
          p += 1 + w;
          break;
        }
        case 0xc4: {
          // bin 8: a view of the frame, as the library gives it
          if (p + 2 > n) return undefined;
          const len = b[p + 1]!;
          if (len > limits.maxBinLength || p + 2 + len > n) return undefined;
          v = b.subarray(p + 2, p + 2 + len);
          p += 2 + len;
          break;
        }
        default:
          return undefined;
      }
    }
    this.end = p;
    return v;
  }

  /** The ASCII string of b[at, at + len), from the cache when it is there; undefined when not ASCII or out of bounds. */
  private ascii(b: Uint8Array, at: number, len: number): string | undefined {
    const end = at + len;
    if (end > b.length || len > this.limits.maxStrLength) return undefined;
    let h = len;
    for (let i = at; i < end; i++) {
      const c = b[i]!;
      if (c >= 0x80) return undefined;
      h = (Math.imul(h, 31) + c) | 0;
    }
    const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
    const hit = this.cache[slot];
    if (hit !== undefined && hit.bytes.length === len) {
      const k = hit.bytes;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (k[i] !== b[at + i]) {
          same = false;
          break;
        }
      }
      if (same) return hit.str;
    }
    const str = String.fromCharCode.apply(null, b.subarray(at, end) as unknown as number[]);
    // a copy: a Buffer's slice() would be a view of the frame, whose bytes the socket reuses
    this.cache[slot] = { bytes: Uint8Array.prototype.slice.call(b, at, end), str };
    return str;
  }
}

// Scratch for reading floats: the bytes copied in, read big-endian as msgpack writes them (no DataView
// over each frame).
const F_BYTES = new Uint8Array(8);
const F_VIEW = new DataView(F_BYTES.buffer);

const u32 = (b: Uint8Array, at: number): number => b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);

