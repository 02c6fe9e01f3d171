// The stress test's record content: every one of the 32 words is a function of the record's sequence, so
// a torn, stale, duplicated or misplaced record fails verification. Word 0 is the sequence itself.

import { RECORD_WORDS } from '../../../engine/ring/record.js';

function payloadWord(seq: number, word: number): number {
  if (word === 0) return seq | 0;
  return Math.imul((seq + word) | 0, 0x9e3779b1) ^ Math.imul(word, 0x85ebca6b) ^ (seq >>> 7);
}

export function writePayload(i32: Int32Array, at: number, seq: number): void {
  const w = at >> 2;
  for (let k = 0; k < RECORD_WORDS; k++) i32[w + k] = payloadWord(seq, k);
}

/** Index of the first word that differs from what `seq` should hold, or -1 when the record is intact. */
export function firstBadWord(i32: Int32Array, at: number, seq: number): number {
  const w = at >> 2;
  for (let k = 0; k < RECORD_WORDS; k++) if (i32[w + k] !== payloadWord(seq, k)) return k;
  return -1;
}
