// Checks on a decoded MessagePack configuration before any constructor trusts it: the shape the decoder
// needs (objects, arrays, integers where counts and intervals go). Deeper validation is the constructors'
// own (MarketSpec, buildTierTable...), whose errors the decoders turn into SNAPSHOT_MALFORMED.

import { malformed } from './snapshot-error.js';

export interface PlainRecord {
  array(key: string): unknown[];
  uint(key: string): number;
  value(key: string): unknown;
}

export function plainRecord(v: unknown, what: string): PlainRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw malformed(`${what}: not an object`);
  const o = v as Record<string, unknown>;
  return {
    array(key) {
      const a = o[key];
      if (!Array.isArray(a)) throw malformed(`${what}: ${key} is not an array`);
      return a;
    },
    uint(key) {
      const n = o[key];
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw malformed(`${what}: ${key} is not a whole number (${String(n)})`);
      return n;
    },
    value(key) {
      return o[key];
    },
  };
}
