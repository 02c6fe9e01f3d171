// Flips one bit of one journaled record inside the cut, as a failing disk could: what recovery must refuse.

import { RECORD_BYTES } from '../../engine/ring/record.js';
import { BLOCK_HEADER_BYTES, ENTRY_BYTES, JournalBlock } from '../../persistence/journal-block.js';
import { journalRange } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';

export interface CorruptedRecord {
  readonly key: Uint8Array;
  readonly position: number;
  /** Where the record's block starts: the records before it are intact. */
  readonly blockStart: number;
  /** The record's seq as stored (the flipped bit lies past the seq field). */
  readonly seq: number;
  /** The record's stored CRC32C, 8 hex digits. */
  readonly expected: string;
}

/**
 * Flips one bit past the seq field of a record of shard `shard`: `pick` chooses the block (of how many)
 * and the record (of how many in it), `bit` the bit (any integer; taken modulo what the record holds).
 */
export async function corruptRecord(dir: string, shard: number, pick: (blocks: number) => number, record: (count: number) => number, bit: number): Promise<CorruptedRecord> {
  const store = await RocksStore.open(dir);
  try {
    const blocks: { key: Uint8Array; value: Uint8Array }[] = [];
    for await (const e of store.scan(journalRange(shard))) blocks.push({ key: Buffer.from(e.key), value: Buffer.from(e.value) });
    const victim = blocks[pick(blocks.length)]!;
    const block = JournalBlock.decode(victim.value)!;
    const i = record(block.count);
    const seq = block.records.seq(block.records.at(i));
    const expected = block.storedChecksum(i).toString(16).padStart(8, '0');
    const byte = BLOCK_HEADER_BYTES + block.count * ENTRY_BYTES + i * RECORD_BYTES + 16 + (Math.floor(bit / 8) % (RECORD_BYTES - 16));
    const corrupted = Buffer.from(victim.value);
    corrupted[byte]! ^= 1 << bit % 8;
    await store.write([{ type: 'put', key: victim.key, value: corrupted }], true);
    return { key: victim.key, position: block.firstPosition + i, blockStart: block.firstPosition, seq, expected };
  } finally {
    await store.close();
  }
}
