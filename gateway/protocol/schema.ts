// Field schemas: what each field of a protocol message may hold, checked on every request before any
// handler reads it. A field the message does not define is refused (UNKNOWN_FIELD), a missing required
// field or a value of the wrong type or range is refused (INVALID_FIELD); the first problem found is the
// answer, naming the field. Integers arrive as msgpack ints: a number, or a bigint when the sender used a
// 64-bit encoding; both are accepted where the range allows. Floats are never an integer.

import { Code } from '../../engine/codes.js';

export type FieldType =
  | { readonly kind: 'uint'; readonly max: number }
  | { readonly kind: 'atoms'; readonly min: bigint; readonly max: bigint }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'str'; readonly maxLength: number }
  | { readonly kind: 'bin'; readonly maxLength: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'object'; readonly fields: Fields }
  | { readonly kind: 'array'; readonly of: FieldType; readonly maxItems: number };

export interface FieldSpec {
  readonly type: FieldType;
  readonly optional: boolean;
  /** What it is and its unit, as docs/PROTOCOL.md states it. */
  readonly doc: string;
}

export type Fields = Readonly<Record<string, FieldSpec>>;

const U53 = Number.MAX_SAFE_INTEGER;
const I64_MAX = (1n << 63n) - 1n;

export const uint = (max = U53): FieldType => ({ kind: 'uint', max });
/** Collateral atoms: an integer carried exactly as bigint (i64 range unless narrowed). */
export const atoms = (min = -I64_MAX, max = I64_MAX): FieldType => ({ kind: 'atoms', min, max });
export const oneOf = (...values: string[]): FieldType => ({ kind: 'enum', values });
export const str = (maxLength: number): FieldType => ({ kind: 'str', maxLength });
export const bin = (maxLength: number): FieldType => ({ kind: 'bin', maxLength });
export const bool: FieldType = { kind: 'bool' };
export const object = (fields: Fields): FieldType => ({ kind: 'object', fields });
export const array = (of: FieldType, maxItems: number): FieldType => ({ kind: 'array', of, maxItems });

export const req = (type: FieldType, doc: string): FieldSpec => ({ type, optional: false, doc });
export const opt = (type: FieldType, doc: string): FieldSpec => ({ type, optional: true, doc });

export interface FieldProblem {
  readonly code: typeof Code.INVALID_FIELD | typeof Code.UNKNOWN_FIELD;
  readonly field: string;
  readonly message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: FieldProblem };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * A refusal met while checking. checkValue() returns the normalised value or one of these (told apart by
 * instanceof), so a field that passes costs no result object; a path is built only for a refusal.
 */
class Bad {
  constructor(readonly problem: FieldProblem) {}
}

const bad = (field: string, message: string): Bad => new Bad({ code: Code.INVALID_FIELD, field, message });

/** Checks one value against its type; returns the value normalised (integers as number, atoms as bigint), or Bad. */
function checkValue(t: FieldType, v: unknown, prefix: string, key: string): unknown {
  switch (t.kind) {
    case 'uint': {
      let n: number;
      if (typeof v === 'number' && Number.isInteger(v)) n = v;
      else if (typeof v === 'bigint' && v >= 0n && v <= BigInt(U53)) n = Number(v);
      else return bad(prefix + key, 'must be a non-negative integer');
      if (n < 0 || n > t.max) return bad(prefix + key, `must be an integer in [0, ${t.max}]`);
      return n;
    }
    case 'atoms': {
      let b: bigint;
      if (typeof v === 'bigint') b = v;
      else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
      else return bad(prefix + key, 'must be an integer (collateral atoms)');
      if (b < t.min || b > t.max) return bad(prefix + key, `must be in [${t.min}, ${t.max}]`);
      return b;
    }
    case 'enum':
      if (typeof v !== 'string' || !t.values.includes(v)) return bad(prefix + key, `must be one of ${t.values.join(', ')}`);
      return v;
    case 'str':
      if (typeof v !== 'string' || v.length === 0 || v.length > t.maxLength) return bad(prefix + key, `must be a string of 1 to ${t.maxLength} characters`);
      return v;
    case 'bin':
      if (!(v instanceof Uint8Array) || v.byteLength > t.maxLength) return bad(prefix + key, `must be binary of at most ${t.maxLength} bytes`);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') return bad(prefix + key, 'must be true or false');
      return v;
    case 'object': {
      if (!isPlainObject(v)) return bad(prefix + key, 'must be a map');
      return fieldsOf(t.fields, v, `${prefix}${key}.`, NONE);
    }
    case 'array': {
      const path = prefix + key;
      if (!Array.isArray(v)) return bad(path, 'must be an array');
      if (v.length === 0 || v.length > t.maxItems) return bad(path, `must hold 1 to ${t.maxItems} items`);
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const c = checkValue(t.of, v[i], path, `[${i}]`);
        if (c instanceof Bad) return c;
        out.push(c);
      }
      return out;
    }
  }
}

const NONE: readonly string[] = [];

/** The fields of a map as an array, once per Fields object. */
const entriesOf = new WeakMap<Fields, [string, FieldSpec][]>();

/** checkFields() returning the fresh object or Bad. */
function fieldsOf(fields: Fields, v: Record<string, unknown>, prefix: string, skip: readonly string[]): Record<string, unknown> | Bad {
  for (const k in v) {
    if (!Object.hasOwn(fields, k) && !skip.includes(k)) return new Bad({ code: Code.UNKNOWN_FIELD, field: prefix + k, message: 'is not a field of this message' });
  }
  let entries = entriesOf.get(fields);
  if (entries === undefined) entriesOf.set(fields, (entries = Object.entries(fields)));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const k = e[0];
    const spec = e[1];
    const raw = Object.hasOwn(v, k) ? v[k] : undefined;
    if (raw === undefined || raw === null) {
      if (!spec.optional) return bad(prefix + k, 'is required');
      continue;
    }
    const c = checkValue(spec.type, raw, prefix, k);
    if (c instanceof Bad) return c;
    out[k] = c;
  }
  return out;
}

/**
 * Checks a map against its fields: no unknown field (`skip` names fields the caller checked already),
 * every required one present, each of its type. Returns a fresh object holding the normalised values.
 */
export function checkFields(fields: Fields, v: Record<string, unknown>, prefix = '', skip: readonly string[] = NONE): Checked<Record<string, unknown>> {
  const c = fieldsOf(fields, v, prefix, skip);
  return c instanceof Bad ? { ok: false, problem: c.problem } : { ok: true, value: c };
}

export { isPlainObject };
