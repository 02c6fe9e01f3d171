// Journal blocks: records and input indexes round-trip; every record's checksum catches a flipped bit in
// it or in its input index; a value whose header and length disagree does not decode.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordBuffer } from '../../engine/ring/record.js';
import { BlockBuilder, JournalBlock } from '../../persistence/journal-block.js';
import { rng, testSeed } from '../support/seed.js';

function block(seed: number, n: number, first: number): { bytes: Buffer; src: RecordBuffer; inputs: number[] } {
  const r = rng(seed);
  const src = RecordBuffer.allocate(n);
  for (let i = 0; i < src.u32.length; i++) src.u32[i] = r() >>> 0;
  const inputs = Array.from({ length: n }, () => r() % 5);
  const b = new BlockBuilder();
  b.begin(first, n);
  for (let i = 0; i < n; i++) b.add(src.u8, src.at(i), inputs[i]!);
  return { bytes: b.finish(), src, inputs };
}

test('a block gives back its records, input indexes and first position', () => {
  const seed = testSeed('journal block round trip');
  const { bytes, src, inputs } = block(seed, 37, 2 ** 40 + 3);
  const j = JournalBlock.decode(bytes)!;
  assert.equal(j.count, 37);
  assert.equal(j.firstPosition, 2 ** 40 + 3);
  assert.equal(j.firstBad(), -1);
  for (let i = 0; i < 37; i++) {
    assert.equal(j.input(i), inputs[i]);
    assert.deepEqual(j.records.u8.subarray(j.records.at(i), j.records.at(i) + 128), src.u8.subarray(src.at(i), src.at(i) + 128));
  }
});

test('a flipped bit in any record or input index is found at that record', () => {
  const seed = testSeed('journal block bit flip');
  const r = rng(seed);
  const { bytes } = block(seed, 20, 0);
  for (let trial = 0; trial < 50; trial++) {
    const copy = Buffer.from(bytes);
    const victim = r() % 20;
    const inRecord = r() % 4 !== 0;
    const byte = inRecord ? 16 + 20 * 8 + victim * 128 + (r() % 128) : 16 + victim * 8 + 4 + (r() % 2);
    copy[byte]! ^= 1 << r() % 8;
    assert.equal(JournalBlock.decode(copy)!.firstBad(), victim, `byte ${byte}`);
  }
});

test('a truncated or foreign value does not decode', () => {
  const { bytes } = block(1, 4, 0);
  assert.equal(JournalBlock.decode(bytes.subarray(0, bytes.length - 1)), undefined);
  assert.equal(JournalBlock.decode(Buffer.from('hello world, not a block')), undefined);
});
