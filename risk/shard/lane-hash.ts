// The risk state hash's mixer from snapshot format version 2 (docs/SNAPSHOTS.md, "The encode at
// risksnap8"): a 64-bit hash of a sequence of 32-bit words on four independent 32-bit lanes. Word k goes to
// lane k mod 4, and each lane is MurmurHash3_x86_32's body over its words (no cross-lane additions as in
// the x86_128 variant, so the lanes are independent chains):
//
//   k = rotl(w * 0xcc9e2d51, 15) * 0x1b873593          (the word alone, off the chain)
//   lane = rotl(lane ^ k, 13) * 5 + 0xe6546b64
//
// and the end is MurmurHash3_x86_128's finalization (the word count into every lane, the lanes added into
// each other, fmix on each, added again) keeping the first two lanes, 64 bits. For a fixed word a lane's
// step is a bijection of the lane and injective in the word, so sequences of equal length that differ in
// one word reach different 128-bit states, and the finalization is a bijection of that state; the 64 bits
// kept collide with probability about 2^-64.
//
// Why four lanes: the version-1 mixer (engine/book/state-hash.ts, StateHash, still the market shard's and
// still used to check a version-1 risk snapshot) takes each word on both of its lanes, each step waiting on
// the other, so a hash is one chain of dependent multiplications, about 10 cycles a word whatever the code
// around it does. Here a lane waits on its own previous word only, four words back, so four steps are in
// flight at once.

import { highWord } from '../../engine/book/state-hash.js';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const N = 0xe6546b64;

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One word's contribution: the word mixed on its own, before it meets a lane. */
function mixWord(w: number): number {
  const k = Math.imul(w | 0, C1);
  return Math.imul((k << 15) | (k >>> 17), C2);
}

/** One lane's step. */
function step(lane: number, k: number): number {
  const x = lane ^ k;
  return (Math.imul((x << 13) | (x >>> 19), 5) + N) | 0;
}

export class LaneHash {
  private h0 = 0;
  private h1 = 0;
  private h2 = 0;
  private h3 = 0;
  private words = 0;

  /** Starts a new hash (no version word: the caller writes its own). */
  begin(): void {
    // Four different seeds, so equal runs of words on two lanes leave them different.
    this.h0 = 0x9747b28c | 0;
    this.h1 = 0x2f6c9b3d;
    this.h2 = 0x4cf5ad43;
    this.h3 = 0x68e31da4;
    this.words = 0;
  }

  word(w: number): void {
    const k = mixWord(w);
    switch (this.words & 3) {
      case 0:
        this.h0 = step(this.h0, k);
        break;
      case 1:
        this.h1 = step(this.h1, k);
        break;
      case 2:
        this.h2 = step(this.h2, k);
        break;
      default:
        this.h3 = step(this.h3, k);
    }
    this.words++;
  }

  /** An integer with |n| < 2^53 as 64-bit two's complement: the low word, then the high word (two lanes). */
  int(n: number): void {
    const kl = mixWord(n | 0);
    const kh = mixWord(highWord(n));
    switch (this.words & 3) {
      case 0:
        this.h0 = step(this.h0, kl);
        this.h1 = step(this.h1, kh);
        break;
      case 1:
        this.h1 = step(this.h1, kl);
        this.h2 = step(this.h2, kh);
        break;
      case 2:
        this.h2 = step(this.h2, kl);
        this.h3 = step(this.h3, kh);
        break;
      default:
        this.h3 = step(this.h3, kl);
        this.h0 = step(this.h0, kh);
    }
    this.words += 2;
  }

  digest(): bigint {
    const n = this.words;
    let h0 = this.h0 ^ n;
    let h1 = this.h1 ^ n;
    let h2 = this.h2 ^ n;
    let h3 = this.h3 ^ n;
    h0 = (h0 + h1 + h2 + h3) | 0;
    h1 = (h1 + h0) | 0;
    h2 = (h2 + h0) | 0;
    h3 = (h3 + h0) | 0;
    h0 = fmix(h0);
    h1 = fmix(h1);
    h2 = fmix(h2);
    h3 = fmix(h3);
    h0 = (h0 + h1 + h2 + h3) | 0;
    h1 = (h1 + h0) | 0;
    return (BigInt(h0 >>> 0) << 32n) | BigInt(h1 >>> 0);
  }
}
