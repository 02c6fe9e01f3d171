// FrameArena: the bytes of one account's user-stream frames, kept for replay (user-stream.ts). A frame
// in an ArrayBuffer of its own cost more to allocate than to encode (two per order: bench/RESULTS.md,
// gateway-order); here frames are cut from chunks the arena allocates, so an ArrayBuffer serves many.
//
// A frame is written once and never changed, so a view of it may be queued on a socket while later
// frames are cut from the same chunk. A chunk is freed (by the GC) once no frame in it is kept nor queued:
// memory is what the ring keeps plus at most the unused tail of the chunk being filled and the evicted
// frames sharing the oldest kept frame's chunk. Chunks grow from MIN_CHUNK to MAX_CHUNK as the account
// keeps sending, so a quiet account holds about a kilobyte, not a busy account's chunk.

export const MIN_CHUNK = 1_024;
export const MAX_CHUNK = 32_768;

export class FrameArena {
  private chunk: Uint8Array | undefined;
  private used = 0;
  private next = MIN_CHUNK;

  /** `n` bytes of fresh space (zero-filled), for one frame to be written into. */
  readonly alloc = (n: number): Uint8Array => {
    let c = this.chunk;
    if (c === undefined || this.used + n > c.length) {
      if (n > MAX_CHUNK) return new Uint8Array(n);
      while (this.next < n) this.next *= 2;
      c = this.chunk = new Uint8Array(this.next);
      this.used = 0;
      this.next = Math.min(MAX_CHUNK, this.next * 2);
    }
    const at = this.used;
    this.used = at + n;
    return c.subarray(at, at + n);
  };
}
