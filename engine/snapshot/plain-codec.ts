// Configuration sections (market specs, pricing, risk tiers and pool settings) as MessagePack: plain
// objects of numbers, strings, booleans, arrays and bigints, few and small, whose fields grow with the
// code. A field list kept by hand here would silently drop the next field someone adds; MessagePack
// carries whatever the object holds. Keys are sorted so the same configuration always gives the same
// bytes, undefined fields are left out (an absent optional setting stays absent), and bigints travel as
// a decimal-string extension (exact at any size). The hot state sections do not use this: they are
// columns and varints (docs/SNAPSHOTS.md says why).

import { decode, DecodeError, encode, ExtensionCodec } from '@msgpack/msgpack';
import { malformed } from './snapshot-error.js';

const BIGINT_EXT = 0;
const codec = new ExtensionCodec();
codec.register({
  type: BIGINT_EXT,
  encode: (v: unknown): Uint8Array | null => (typeof v === 'bigint' ? new TextEncoder().encode(v.toString()) : null),
  decode: (data: Uint8Array): bigint => {
    const s = new TextDecoder().decode(data);
    if (!/^-?\d+$/.test(s)) throw new DecodeError(`bigint extension holds ${JSON.stringify(s)}`);
    return BigInt(s);
  },
});

export function encodePlain(value: unknown): Uint8Array {
  return encode(value, { extensionCodec: codec, sortKeys: true, ignoreUndefined: true });
}

export function decodePlain(bytes: Uint8Array, what: string): unknown {
  try {
    return decode(bytes, { extensionCodec: codec });
  } catch (e) {
    throw malformed(`${what}: ${(e as Error).message}`);
  }
}
