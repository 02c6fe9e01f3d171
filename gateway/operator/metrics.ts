// The exchange's /metrics (prom-client, Prometheus text format). One registry holds:
//   - what the operator side observes itself: every record the exchange hands the gateway (events by
//     type, rejections by code: observe()), commands offered (commandOffered()), order-to-ack latency
//     (observeAck(), fed by whoever correlates a request with its answer);
//   - what is read at scrape time: ring depths (gateway → shard and shard → gateway), journal lag per
//     shard, shard inputs handled, and the edge's figures (connections, messages out, slow consumers
//     dropped) from whichever stats sources the gateway and the market-data hub register (addEdgeSource);
//   - the oracle's metrics (OracleMetrics registers itself in `registry`) and surveillance's samples.
// Names carry units; labels are bounded (record type names, code names, shard numbers, source names).

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { codeName } from '../../engine/codes.js';
import { PRODUCER_CURSOR_INDEX, CONSUMER_CURSOR_INDEX } from '../../engine/ring/ring-buffer-descriptor.js';
import type { RingBuffer } from '../../engine/ring/ring-buffer.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { RecordType, recordTypeName } from '../../engine/ring/types.js';
import { prometheusText, type MetricSample } from '../../exchange/surveillance/alert-metrics.js';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';

const REJ_CODE = OrderRejectedLayout.offsets.code;

/** Records a ring holds that its consumer has not released. */
function ringDepth(ring: RingBuffer): number {
  return (Atomics.load(ring.header, PRODUCER_CURSOR_INDEX) - Atomics.load(ring.header, CONSUMER_CURSOR_INDEX)) | 0;
}

/** What an edge component (the trader gateway, the market-data hub) reports at scrape time. */
export interface EdgeStats {
  /** Open client connections. */
  readonly connections: number;
  /** Messages sent to clients since start. */
  readonly messagesOut: number;
  /** Clients disconnected (or resynced) because their outbound buffer overflowed, since start. */
  readonly droppedSlowConsumers: number;
}

/** The parts of the exchange the scrape reads (a test can stand in for it). */
export type MetricsExchange = Pick<ThreadedExchange, 'toRisk' | 'toMarket' | 'marketHosts' | 'riskHosts' | 'journal'>;

export class ExchangeMetrics {
  readonly registry = new Registry();
  private readonly events: Counter<'type'>;
  private readonly rejects: Counter<'code'>;
  private readonly commands: Counter<'type'>;
  private readonly ack: Histogram;
  private readonly edges = new Map<string, () => EdgeStats>();
  private readonly extra: (() => MetricSample[])[] = [];
  /** Counter children by record type and code: no label lookup per event on the hot path. */
  private readonly eventChild = new Map<number, Counter.Internal>();
  private readonly rejectChild = new Map<number, Counter.Internal>();

  constructor(exchange: () => MetricsExchange | undefined, o: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (o.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'perpx_process_' });
    this.events = new Counter({ name: 'perpx_events_total', help: 'Records the exchange handed the gateway, by record type.', labelNames: ['type'], registers });
    this.rejects = new Counter({ name: 'perpx_rejects_total', help: 'Commands refused (OrderRejected), by result code name.', labelNames: ['code'], registers });
    this.commands = new Counter({ name: 'perpx_commands_total', help: 'Commands the exchange took from the gateway, by record type.', labelNames: ['type'], registers });
    this.ack = new Histogram({
      name: 'perpx_order_ack_seconds',
      help: 'From a request received to its answer sent (order-to-ack), at the gateway.',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    const ringDepths = new Gauge({
      name: 'perpx_ring_depth_records',
      help: 'Records waiting in a ring: direction "in" (gateway to shard) or "out" (shard to gateway).',
      labelNames: ['shard', 'direction'],
      registers,
      collect() {
        const x = exchange();
        this.reset();
        if (!x) return;
        x.toMarket.forEach((s, i) => this.set({ shard: `market${i}`, direction: 'in' }, ringDepth(s.ring)));
        x.toRisk.forEach((s, i) => this.set({ shard: `risk${i}`, direction: 'in' }, ringDepth(s.ring)));
        x.marketHosts.forEach((h, i) => this.set({ shard: `market${i}`, direction: 'out' }, ringDepth(h.gatewayOut)));
        x.riskHosts.forEach((h, i) => this.set({ shard: `risk${i}`, direction: 'out' }, ringDepth(h.gatewayOut)));
      },
    });
    void ringDepths;
    new Gauge({
      name: 'perpx_journal_lag_records',
      help: 'Inputs a shard took that are not yet durable (0 series when the exchange runs in memory).',
      labelNames: ['shard'],
      registers,
      collect() {
        const x = exchange();
        this.reset();
        const j = x?.journal;
        if (!x || !j) return;
        const S = x.marketHosts.length;
        for (let i = 0; i < j.taps.length; i++) this.set({ shard: i < S ? `market${i}` : `risk${i - S}` }, j.lag(i));
      },
    });
    new Gauge({
      name: 'perpx_shard_inputs_handled',
      help: 'Input records each shard has handled since it started.',
      labelNames: ['shard'],
      registers,
      collect() {
        const x = exchange();
        this.reset();
        if (!x) return;
        x.marketHosts.forEach((h, i) => this.set({ shard: `market${i}` }, h.stats().handled));
        x.riskHosts.forEach((h, i) => this.set({ shard: `risk${i}` }, h.stats().handled));
      },
    });
    const edges = this.edges;
    const edgeGauge = (name: string, help: string, pick: (s: EdgeStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['source'],
        registers,
        collect() {
          this.reset();
          for (const [source, stats] of edges) this.set({ source }, pick(stats()));
        },
      });
    edgeGauge('perpx_connections', 'Open client connections, by edge component.', (s) => s.connections);
    edgeGauge('perpx_messages_out_total', 'Messages sent to clients since start, by edge component.', (s) => s.messagesOut);
    edgeGauge('perpx_slow_consumers_dropped_total', 'Clients dropped or resynced for a full outbound buffer since start.', (s) => s.droppedSlowConsumers);
  }

  /** Counts one record the exchange handed the gateway (a poll() listener). */
  observe(buf: RecordBuffer, at: number): void {
    const type = buf.type(at);
    let e = this.eventChild.get(type);
    if (e === undefined) this.eventChild.set(type, (e = this.events.labels(recordTypeName(type))));
    e.inc();
    if (type !== RecordType.OrderRejected) return;
    const code = buf.u16At(at, REJ_CODE);
    let r = this.rejectChild.get(code);
    if (r === undefined) this.rejectChild.set(code, (r = this.rejects.labels(codeName(code))));
    r.inc();
  }

  /** Counts one command the exchange took. */
  commandOffered(type: number): void {
    this.commands.labels(recordTypeName(type)).inc();
  }

  /** One order-to-ack latency, in seconds. */
  observeAck(seconds: number): void {
    this.ack.observe(seconds);
  }

  /** Registers an edge component's stats, read at every scrape. */
  addEdgeSource(name: string, stats: () => EdgeStats): void {
    this.edges.set(name, stats);
  }

  /** Adds plain samples (surveillance's) to every scrape. */
  addSamples(samples: () => MetricSample[]): void {
    this.extra.push(samples);
  }

  /** The whole exposition text. */
  async text(): Promise<string> {
    let out = await this.registry.metrics();
    for (const f of this.extra) {
      const samples = f();
      if (samples.length > 0) out += prometheusText(samples);
    }
    return out;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
