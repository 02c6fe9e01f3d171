// Integer formatting for alert summaries: fixed-point values printed without a float.

/** 12345 → "123.45". */
export function hundredths(x100: number): string {
  const sign = x100 < 0 ? '-' : '';
  const a = Math.abs(Math.trunc(x100));
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** µs → "1.234 s" (milliseconds precision). */
export function seconds(us: number): string {
  const ms = Math.floor(us / 1_000);
  return `${Math.floor(ms / 1_000)}.${String(ms % 1_000).padStart(3, '0')} s`;
}
