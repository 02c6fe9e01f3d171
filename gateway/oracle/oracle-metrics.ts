// The oracle's metrics, registered in the registry the gateway's /metrics serves (prom-client). Names
// carry units; labels are bounded (market symbols, venue names, status names).

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export class OracleMetrics {
  readonly requests: Counter<'venue' | 'status'>;
  readonly requestSeconds: Histogram<'venue'>;
  readonly retries: Counter<'venue'>;
  readonly cycleSeconds: Histogram;
  readonly indexStale: Gauge<'market'>;
  readonly staleTransitions: Counter<'market' | 'to'>;
  readonly indexTicks: Gauge<'market'>;
  readonly sourcesUsed: Gauge<'market'>;
  readonly operatorOverride: Gauge<'market'>;
  readonly ticksDropped: Counter<'market'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({ name: 'perpx_oracle_requests_total', help: 'Index source requests finished, by venue and outcome (IndexSourceStatus name).', labelNames: ['venue', 'status'], registers });
    this.requestSeconds = new Histogram({ name: 'perpx_oracle_request_seconds', help: 'Round trip of index source requests, retries included.', labelNames: ['venue'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers });
    this.retries = new Counter({ name: 'perpx_oracle_retries_total', help: 'Request attempts beyond the first (backoff with jitter).', labelNames: ['venue'], registers });
    this.cycleSeconds = new Histogram({ name: 'perpx_oracle_cycle_seconds', help: 'From a cycle start to its index ticks computed.', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers });
    this.indexStale = new Gauge({ name: 'perpx_index_stale', help: '1 while the market index is stale (mark frozen, market reduce-only).', labelNames: ['market'], registers });
    this.staleTransitions = new Counter({ name: 'perpx_index_stale_transitions_total', help: 'Times a market index went stale (to="stale") or recovered (to="fresh").', labelNames: ['market', 'to'], registers });
    this.indexTicks = new Gauge({ name: 'perpx_index_price_ticks', help: 'Last index price sent, in the market ticks (0 while stale).', labelNames: ['market'], registers });
    this.sourcesUsed = new Gauge({ name: 'perpx_index_sources_used', help: 'Sources the last index rested on.', labelNames: ['market'], registers });
    this.operatorOverride = new Gauge({ name: 'perpx_index_operator_override', help: '1 while an operator-set index is in force.', labelNames: ['market'], registers });
    this.ticksDropped = new Counter({ name: 'perpx_index_ticks_refused_total', help: 'Index ticks the exchange could not take (ring full): the next cycle sends a fresh one.', labelNames: ['market'], registers });
  }
}
