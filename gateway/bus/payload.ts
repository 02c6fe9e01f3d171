// Payloads of the MQTT bus: the hub's messages as they are (docs/MARKET-DATA.md lists the fields), in
// msgpack by default or JSON. msgpack carries the engine's 64-bit fields as int64 and they decode to
// bigint (useBigInt64); JSON has no 64-bit integers, so those fields travel as decimal strings and
// decode back to bigint by name. One encoder and decoder per process, reused.

import { Decoder, Encoder } from '@msgpack/msgpack';
import type { MarketDataMessage } from '../market-data/messages.js';

export type PayloadFormat = 'msgpack' | 'json';

/** The fields that are bigint in the messages (i64 in the records). */
const BIGINT_FIELDS: ReadonlySet<string> = new Set(['volumeLots', 'quoteVolume', 'fundingRate', 'rate', 'premiumRate', 'qtyLots', 'insuranceAtoms', 'deltaAtoms', 'balanceAtoms', 'totalAtoms']);

const encoder = new Encoder({ useBigInt64: true });
const decoder = new Decoder({ useBigInt64: true });

export function encodePayload(m: MarketDataMessage, format: PayloadFormat): Uint8Array {
  if (format === 'msgpack') return encoder.encode(m);
  return Buffer.from(JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

export function decodePayload(bytes: Uint8Array, format: PayloadFormat): MarketDataMessage {
  if (format === 'msgpack') return decoder.decode(bytes) as MarketDataMessage;
  return JSON.parse(Buffer.from(bytes).toString('utf8'), (k, v: unknown) => (BIGINT_FIELDS.has(k) && typeof v === 'string' ? BigInt(v) : v)) as MarketDataMessage;
}
