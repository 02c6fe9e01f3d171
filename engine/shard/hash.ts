// FNV-1a over 64-bit words, in bigint: for combining per-part state hashes at snapshot time (not on the
// matching path, where the books hash their own state with 32-bit arithmetic).

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

export function combineHashes(parts: readonly bigint[]): bigint {
  let h = FNV_OFFSET;
  for (const p of parts) {
    let v = BigInt.asUintN(64, p);
    for (let i = 0; i < 8; i++) {
      h ^= v & 0xffn;
      h = (h * FNV_PRIME) & MASK;
      v >>= 8n;
    }
  }
  return h;
}

/**
 * A state hash as printed for operators: 16 hex digits, leading zeros kept, so the hash `npm start` prints
 * when it stops reads the same as the one perpx-restore prints for that point.
 */
export function stateHashHex(h: bigint): string {
  return BigInt.asUintN(64, h).toString(16).padStart(16, '0');
}
