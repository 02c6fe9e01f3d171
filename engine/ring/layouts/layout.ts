// A record layout: the body fields of one record type, as a running total of sizes after the header.
// Offsets are computed here, once, and checked for alignment and fit; hot code copies them into
// module-level constants. Generic encode/decode (index.ts) walk the field list, flattened per layout into
// arrays: for tests, tools and the gateway, never for the matching path.

import { BODY, RECORD_BYTES, type RecordBuffer } from '../record.js';

export type FieldKind = 'u8' | 'u16' | 'i32' | 'u32' | 'u53' | 'i64';
export type FieldDef = readonly [name: string, kind: FieldKind];

const SIZE: Record<FieldKind, number> = { u8: 1, u16: 2, i32: 4, u32: 4, u53: 8, i64: 8 };
const ALIGN: Record<FieldKind, number> = { u8: 1, u16: 2, i32: 4, u32: 4, u53: 4, i64: 8 };

export type Offsets<F extends readonly FieldDef[]> = { readonly [K in F[number][0]]: number };

export interface Layout<F extends readonly FieldDef[] = readonly FieldDef[]> {
  readonly type: number;
  readonly name: string;
  readonly fields: F;
  readonly offsets: Offsets<F>;
  /** First byte after the last field. */
  readonly end: number;
}

export function defineLayout<const F extends readonly FieldDef[]>(type: number, name: string, fields: F): Layout<F> {
  const offsets: Record<string, number> = {};
  let at = BODY;
  for (const [field, kind] of fields) {
    if (at % ALIGN[kind] !== 0) throw new Error(`${name}.${field}: ${kind} at byte ${at} is misaligned`);
    if (field in offsets) throw new Error(`${name}.${field}: defined twice`);
    offsets[field] = at;
    at += SIZE[kind];
  }
  if (at > RECORD_BYTES) throw new Error(`${name}: ${at} bytes do not fit a ${RECORD_BYTES}-byte record`);
  return Object.freeze({ type, name, fields, offsets: Object.freeze(offsets) as Offsets<F>, end: at });
}

export function sizeOf(kind: FieldKind): number {
  return SIZE[kind];
}

export function writeField(buf: RecordBuffer, at: number, offset: number, kind: FieldKind, value: number | bigint): void {
  switch (kind) {
    case 'u8':
      return buf.setU8(at, offset, value as number);
    case 'u16':
      return buf.setU16(at, offset, value as number);
    case 'i32':
      return buf.setI32(at, offset, value as number);
    case 'u32':
      return buf.setU32(at, offset, value as number);
    case 'u53':
      return buf.setU53(at, offset, value as number);
    case 'i64':
      return buf.setI64(at, offset, value as bigint);
  }
}

export function readField(buf: RecordBuffer, at: number, offset: number, kind: FieldKind): number | bigint {
  switch (kind) {
    case 'u8':
      return buf.u8At(at, offset);
    case 'u16':
      return buf.u16At(at, offset);
    case 'i32':
      return buf.i32At(at, offset);
    case 'u32':
      return buf.u32At(at, offset);
    case 'u53':
      return buf.u53At(at, offset);
    case 'i64':
      return buf.i64At(at, offset);
  }
}
