// The market-data hub's and the MQTT bus's counters as /metrics samples (their stats objects are plain
// counters read at scrape time).

import type { MetricSample } from '../../exchange/surveillance/alert-metrics.js';
import type { BusStats } from '../bus/publisher.js';
import type { HubStats } from '../market-data/hub.js';

export function marketDataSamples(hub: HubStats, bus: BusStats | undefined): MetricSample[] {
  const one = (name: string, help: string, type: 'counter' | 'gauge', value: number): MetricSample => ({ name, help, type, samples: [{ labels: {}, value }] });
  const out = [
    one('perpx_md_records_total', 'Records the market-data hub read from the exchange.', 'counter', hub.records),
    one('perpx_md_messages_total', 'Market-data messages the hub produced (each sent to every subscriber of its channel).', 'counter', hub.messages),
    one('perpx_md_sink_errors_total', 'Subscribers dropped from a channel because sending to them failed.', 'counter', hub.sinkErrors),
  ];
  if (bus === undefined) return out;
  return [
    ...out,
    one('perpx_bus_published_total', 'Messages published on the MQTT bus.', 'counter', bus.published),
    one('perpx_bus_dropped_total', 'Messages the bus dropped (broker away or buffer full; the market is resnapshotted).', 'counter', bus.dropped),
    one('perpx_bus_buffered', 'Messages waiting in the bus buffer.', 'gauge', bus.buffered),
    one('perpx_bus_reconnects_total', 'Reconnections to the broker.', 'counter', bus.reconnects),
    one('perpx_bus_connected', '1 while connected to the broker.', 'gauge', bus.connected ? 1 : 0),
  ];
}
