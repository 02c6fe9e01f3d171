// Bench helper: p50/p99/max of one run's latency samples (ns), computed where the samples are.

export interface LatencySummary {
  samples: number;
  p50Ns: number;
  p99Ns: number;
  maxNs: number;
}

function rank(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function latencySummary(samples: Float64Array): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return { samples: sorted.length, p50Ns: rank(sorted, 50), p99Ns: rank(sorted, 99), maxNs: rank(sorted, 100) };
}
