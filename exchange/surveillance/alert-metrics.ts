// Surveillance counters for /metrics: alerts raised per detector (a counter since start), alerts held per
// status (a gauge), duplicates skipped. Given as plain samples, so the gateway's metrics registry
// (prom-client) can collect them, with a text rendering in the Prometheus exposition format as well.

import type { AlertBook } from './alert-book.js';

export interface MetricSample {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: { labels: Record<string, string>; value: number }[];
}

export function surveillanceMetrics(book: AlertBook): MetricSample[] {
  const counts = book.counts();
  return [
    {
      name: 'perpx_surveillance_alerts_total',
      help: 'Surveillance alerts raised, by detector (duplicates of a stored alert not counted).',
      type: 'counter',
      samples: Object.entries(counts.byDetector).map(([detector, value]) => ({ labels: { detector }, value })),
    },
    {
      name: 'perpx_surveillance_alerts',
      help: 'Surveillance alerts held, by operator status.',
      type: 'gauge',
      samples: Object.entries(counts.byStatus).map(([status, value]) => ({ labels: { status }, value })),
    },
    {
      name: 'perpx_surveillance_duplicate_alerts_total',
      help: 'Alerts received again (a replay) and skipped.',
      type: 'counter',
      samples: [{ labels: {}, value: book.duplicates }],
    },
  ];
}

/** The samples in the Prometheus text exposition format. */
export function prometheusText(metrics: readonly MetricSample[]): string {
  const lines: string[] = [];
  for (const m of metrics) {
    lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
      lines.push(`${m.name}${labels.length ? `{${labels.join(',')}}` : ''} ${s.value}`);
    }
  }
  return lines.join('\n') + '\n';
}
