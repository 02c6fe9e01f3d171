// Test support: take a valid snapshot apart into its sections and put (changed) sections back together
// with a correct CRC, so a test can make a section that does not add up and check the decoder notices it
// for that reason, not because the checksum failed.

import { EnvelopeWriter, readHeader } from '../../../engine/snapshot/snapshot-envelope.js';
import { HEADER_BYTES, TRAILER_BYTES, type ShardKind } from '../../../engine/snapshot/snapshot-format.js';
import { tagName } from '../../../engine/snapshot/snapshot-writer.js';

export interface Section {
  tag: string;
  payload: Uint8Array;
}

export interface Parts {
  kind: ShardKind;
  shardId: number;
  shardCount: number;
  stateHash: bigint;
  /** The header's format version. */
  version: number;
  sections: Section[];
}

export function takeApart(bytes: Uint8Array): Parts {
  const h = readHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sections: Section[] = [];
  let p = HEADER_BYTES;
  const end = h.totalBytes - TRAILER_BYTES;
  while (p < end) {
    const tag = tagName(view.getUint32(p, true));
    const length = view.getUint32(p + 4, true);
    sections.push({ tag, payload: bytes.slice(p + 8, p + 8 + length) });
    p += 8 + length + ((8 - (length & 7)) & 7);
  }
  return { kind: h.kind, shardId: h.shardId, shardCount: h.shardCount, stateHash: h.stateHash, version: h.version, sections };
}

/** `version`: the header's format version (the one taken apart unless given). */
export function putTogether(p: Parts, version?: number): Uint8Array {
  const env = new EnvelopeWriter(p.kind, p.shardId, p.shardCount);
  for (const s of p.sections) env.section(s.tag, (w) => w.bytes(s.payload));
  return env.finish(p.stateHash, version ?? p.version);
}
