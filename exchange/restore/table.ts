// Human tables for the restore tool: columns padded to their widest cell, numbers right-aligned.

export function table(head: readonly string[], rows: readonly (readonly (string | number | bigint)[])[]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'string' ? c : c.toLocaleString('en-US'))));
  const numeric = head.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] !== 'string'));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function usdt(atoms: bigint, decimals: number): string {
  const neg = atoms < 0n;
  const a = neg ? -atoms : atoms;
  const unit = 10n ** BigInt(decimals);
  const cents = (a % unit) / 10n ** BigInt(Math.max(0, decimals - 2));
  return `${neg ? '-' : ''}${(a / unit).toLocaleString('en-US')}.${cents.toString().padStart(2, '0')}`;
}
