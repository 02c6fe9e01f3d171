// Token buckets for rate limits, one per key and one per client address. Each request takes its weight
// (protocol/messages.ts) from both; a bucket refills continuously up to its capacity. Integer arithmetic
// in milli-tokens over whole milliseconds, so the same times give the same decisions.

export interface BucketConfig {
  /** Most tokens a bucket holds (the largest burst). */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

export interface RateLimits {
  readonly perKey: BucketConfig;
  readonly perIp: BucketConfig;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perKey: { capacity: 2_000, refillPerSecond: 1_000 }, perIp: { capacity: 4_000, refillPerSecond: 2_000 } };

interface Bucket {
  milli: number;
  atMs: number;
}

export interface Take {
  readonly ok: boolean;
  /** Whole tokens left in the tighter bucket after this request (or now, when refused). */
  readonly remaining: number;
  /** When refused: milliseconds until the weight is available again. */
  readonly retryAfterMs: number;
}

class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly c: BucketConfig) {}

  private refill(name: string, nowMs: number): Bucket {
    let b = this.buckets.get(name);
    if (b === undefined) this.buckets.set(name, (b = { milli: this.c.capacity * 1000, atMs: nowMs }));
    const elapsed = Math.max(0, nowMs - b.atMs);
    b.milli = Math.min(this.c.capacity * 1000, b.milli + elapsed * this.c.refillPerSecond);
    b.atMs = nowMs;
    return b;
  }

  /** Whole tokens available now. */
  peek(name: string, nowMs: number): number {
    return Math.floor(this.refill(name, nowMs).milli / 1000);
  }

  /** Milliseconds until `weight` tokens are available (0 if they are). */
  waitFor(name: string, weight: number, nowMs: number): number {
    const b = this.refill(name, nowMs);
    const missing = weight * 1000 - b.milli;
    return missing <= 0 ? 0 : Math.ceil(missing / this.c.refillPerSecond);
  }

  take(name: string, weight: number): void {
    const b = this.buckets.get(name)!;
    b.milli -= weight * 1000;
  }

  /** Buckets full again are forgotten (bounded memory for addresses that came once). */
  sweep(nowMs: number): void {
    for (const [name] of this.buckets) if (this.peek(name, nowMs) >= this.c.capacity) this.buckets.delete(name);
  }
}

/** Both limits at once: a request passes only when the key's and the address's buckets hold its weight. */
export class RateLimiter {
  private readonly keys: TokenBuckets;
  private readonly ips: TokenBuckets;

  constructor(readonly limits: RateLimits = DEFAULT_RATE_LIMITS) {
    this.keys = new TokenBuckets(limits.perKey);
    this.ips = new TokenBuckets(limits.perIp);
  }

  take(keyId: string | undefined, ip: string, weight: number, nowMs: number): Take {
    const waitIp = this.ips.waitFor(ip, weight, nowMs);
    const waitKey = keyId === undefined ? 0 : this.keys.waitFor(keyId, weight, nowMs);
    if (waitIp > 0 || waitKey > 0) {
      const remaining = Math.min(this.ips.peek(ip, nowMs), keyId === undefined ? Infinity : this.keys.peek(keyId, nowMs));
      return { ok: false, remaining, retryAfterMs: Math.max(waitIp, waitKey) };
    }
    this.ips.take(ip, weight);
    if (keyId !== undefined) this.keys.take(keyId, weight);
    const remaining = Math.min(this.ips.peek(ip, nowMs), keyId === undefined ? Infinity : this.keys.peek(keyId, nowMs));
    return { ok: true, remaining, retryAfterMs: 0 };
  }

  sweep(nowMs: number): void {
    this.keys.sweep(nowMs);
    this.ips.sweep(nowMs);
  }
}
