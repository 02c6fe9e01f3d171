// Meta: what a data directory is for, stored under key 'M' when it is created and checked on every open.
// A directory written by another program, a newer format, or another configuration (topology, markets,
// risk parameters: anything a replay depends on) is refused with a clear error instead of being replayed
// into a different state.
//
//   { "format": "perpx", "version": 1, "config": <canonical JSON of the exchange's configuration> }
//
// The configuration is whatever the assembling code hands in; bigints are written as {"$bigint": "…"}
// and object keys sorted, so the same configuration always gives the same text.

import { Code } from '../engine/codes.js';
import { PersistenceError } from './errors.js';
import { META_KEY } from './keys.js';
import type { Store } from './store.js';

const FORMAT = 'perpx';
const FORMAT_VERSION = 1;

export interface StoreMeta {
  readonly format: string;
  readonly version: number;
  readonly config: unknown;
}

/** Canonical JSON: sorted keys, bigints tagged, so equal configurations give equal text. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(canonical(v));
}

function canonical(v: unknown): unknown {
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Map) return { $map: [...v].map(([k, x]) => [canonical(k), canonical(x)]) };
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function encodeMeta(config: unknown): Uint8Array {
  return Buffer.from(JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, config: JSON.parse(canonicalJson(config)) }));
}

export async function readMeta(store: Store, dir: string): Promise<StoreMeta> {
  const bytes = await store.get(META_KEY);
  if (bytes === undefined) throw new PersistenceError(Code.DATA_DIR_FOREIGN, `${dir} is a RocksDB directory but not a perpx data directory (no meta key)`, { dir });
  let meta: StoreMeta;
  try {
    meta = JSON.parse(Buffer.from(bytes).toString('utf8')) as StoreMeta;
  } catch (e) {
    throw new PersistenceError(Code.DATA_DIR_FOREIGN, `${dir}: the meta key is not perpx meta`, { dir }, { cause: e });
  }
  if (meta.format !== FORMAT) throw new PersistenceError(Code.DATA_DIR_FOREIGN, `${dir} holds format "${String(meta.format)}", not perpx`, { dir });
  if (meta.version !== FORMAT_VERSION) throw new PersistenceError(Code.DATA_DIR_FOREIGN, `${dir} has format version ${meta.version}; this build reads ${FORMAT_VERSION}`, { dir, version: meta.version });
  return meta;
}

/** Refuses a directory written with another configuration, naming the first top-level part that differs. */
export function checkConfig(meta: StoreMeta, config: unknown, dir: string): void {
  const want = JSON.parse(canonicalJson(config)) as Record<string, unknown>;
  const have = meta.config as Record<string, unknown>;
  if (JSON.stringify(have) === JSON.stringify(want)) return;
  const keys = [...new Set([...Object.keys(want ?? {}), ...Object.keys(have ?? {})])].sort();
  const differs = keys.find((k) => JSON.stringify(have?.[k]) !== JSON.stringify(want?.[k])) ?? '(root)';
  throw new PersistenceError(Code.DATA_DIR_MISMATCH, `${dir} was written with another configuration (${differs} differs); start with the configuration it was written with, or another --data directory`, { dir, differs });
}
