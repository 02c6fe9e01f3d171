// NonceWindow: the nonces each key used within its receive window. A signed request's timestamp must lie
// within the window of the server's clock, so a nonce older than the window can never be valid again and
// is forgotten; a nonce seen within it is a replay. Memory is bounded by the rate limits: at most the
// signed requests a key may make in one window.

export class NonceWindow {
  /** keyId → nonce → the request's ts (µs); pruned lazily, oldest first. */
  private readonly seen = new Map<string, Map<string, number>>();

  /** True and remembered when the nonce is fresh; false when it was used within the window. */
  use(keyId: string, nonce: string, tsUs: number, nowUs: number, windowUs: number): boolean {
    let m = this.seen.get(keyId);
    if (m === undefined) this.seen.set(keyId, (m = new Map()));
    // Insertion order is arrival order, close to ts order: prune from the front while old.
    for (const [n, t] of m) {
      if (t >= nowUs - windowUs) break;
      m.delete(n);
    }
    if (m.has(nonce)) return false;
    m.set(nonce, tsUs);
    return true;
  }
}
