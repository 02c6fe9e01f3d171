// Reading one decoded frame as a request: a map with a known `op`, a client request id `id`, and the
// fields its definition allows (schema.ts). The request id is read first so that even a refusal of the
// rest names the request it answers (0 when the id itself is unusable).

import { Code } from '../../engine/codes.js';
import { REQUESTS, SIGNATURE_FIELDS, type RequestDef } from './messages.js';
import { checkFields, isPlainObject, type Fields } from './schema.js';
import { ProtocolError } from './errors.js';

export interface Request {
  readonly def: RequestDef;
  readonly id: number;
  /** The fields, normalised: integers as number, atoms as bigint. */
  readonly fields: Record<string, unknown>;
}

const ENVELOPE: readonly string[] = ['op', 'id'];
const withSignature = new Map<string, Fields>();

/** A request's fields, with the signature fields for signable ones (built once per operation). */
function fieldsOf(def: RequestDef): Fields {
  if (!def.signable) return def.fields;
  let f = withSignature.get(def.op);
  if (f === undefined) withSignature.set(def.op, (f = { ...def.fields, ...SIGNATURE_FIELDS }));
  return f;
}

/** The request id of a decoded frame when it has a usable one, else 0. */
export function requestIdOf(v: unknown): number {
  if (!isPlainObject(v)) return 0;
  const id = v['id'];
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
  if (typeof id === 'bigint' && id >= 0n && id <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(id);
  return 0;
}

/** Checks a decoded frame; throws ProtocolError (UNKNOWN_OPERATION, INVALID_FIELD, UNKNOWN_FIELD). */
export function readRequest(v: unknown): Request {
  if (!isPlainObject(v)) throw new ProtocolError(Code.MALFORMED_FRAME, 'a request is a msgpack map');
  const op = v['op'];
  if (typeof op !== 'string') throw new ProtocolError(Code.INVALID_FIELD, 'op must be a string', 'op');
  const def = REQUESTS.get(op);
  if (def === undefined) throw new ProtocolError(Code.UNKNOWN_OPERATION, `no operation '${op.slice(0, 64)}'`, 'op');
  const id = v['id'];
  if (id === undefined || requestIdOf(v) !== Number(id)) throw new ProtocolError(Code.INVALID_FIELD, 'id must be an integer in [0, 2^53)', 'id');
  const c = checkFields(fieldsOf(def), v, '', ENVELOPE);
  if (!c.ok) throw new ProtocolError(c.problem.code, `${c.problem.field} ${c.problem.message}`, c.problem.field);
  return { def, id: Number(id), fields: c.value };
}
