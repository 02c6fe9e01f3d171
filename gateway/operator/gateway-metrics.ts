// The trader gateway's counters (Gateway.stats, a plain object read at scrape time) as /metrics samples:
// requests by operation, refusals by code name, connections accepted and refused, back-pressure, orders
// in flight and those refused at an in-flight bound.

import { codeName } from '../../engine/codes.js';
import type { MetricSample } from '../../exchange/surveillance/alert-metrics.js';
import type { Gateway } from '../gateway.js';

type GatewayStats = Gateway['stats'];

export function gatewaySamples(s: GatewayStats): MetricSample[] {
  const one = (name: string, help: string, value: number): MetricSample => ({ name, help, type: 'counter', samples: [{ labels: {}, value }] });
  return [
    { name: 'perpx_gateway_requests_total', help: 'Requests the gateway decoded, by operation.', type: 'counter', samples: [...s.requestsByOp].map(([op, value]) => ({ labels: { op }, value })) },
    { name: 'perpx_gateway_refused_total', help: 'Requests the gateway answered with a refusal, by code name.', type: 'counter', samples: [...s.refusedByCode].map(([code, value]) => ({ labels: { code: codeName(code) }, value })) },
    { name: 'perpx_gateway_auth_refused_total', help: 'Logins and signed requests refused, by code name.', type: 'counter', samples: [...s.authRefusedByCode].map(([code, value]) => ({ labels: { code: codeName(code) }, value })) },
    one('perpx_gateway_connections_accepted_total', 'Connections accepted since start.', s.acceptedConnections),
    one('perpx_gateway_connections_refused_total', 'Connections refused (caps) since start.', s.refusedConnections),
    one('perpx_gateway_back_pressure_total', 'Commands the exchange could not take at once (answered BACK_PRESSURE or retried).', s.backPressure),
    one('perpx_gateway_commands_offered_total', 'Commands the gateway offered the exchange.', s.commandsOffered),
    { name: 'perpx_gateway_orders_in_flight', help: 'Orders waiting for the exchange\'s answer now (bounded per connection, account and gateway).', type: 'gauge', samples: [{ labels: {}, value: s.ordersInFlight }] },
    one('perpx_gateway_orders_refused_in_flight_total', 'Orders answered BACK_PRESSURE at an in-flight bound since start.', s.refusedInFlight),
  ];
}
