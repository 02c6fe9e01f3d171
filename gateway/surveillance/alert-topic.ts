// The operator MQTT topic of surveillance alerts, for the market-data bus to publish (it owns the client,
// the broker and the topic tree's other branches):
//
//   <prefix>/v1/operator/surveillance/alerts/<detector>     QoS 1, not retained, one message per new alert
//   (prefix: the bus's first level, perpx by default)
//
// Payload: the alert without its bulky evidence (orders, trades, touches, book), as UTF-8 JSON; an
// operator who wants the evidence asks the operator HTTP API for the alert by id. Versioned by the topic
// prefix: a breaking change of the payload moves to perpx/v2.

import type { Alert } from '../../risk/surveillance/alert.js';

/** The alert topics' root under a bus prefix. */
export function alertTopicRoot(prefix = 'perpx'): string {
  return `${prefix}/v1/operator/surveillance/alerts`;
}

export const ALERT_TOPIC_ROOT = alertTopicRoot();

export interface BusMessage {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain: boolean;
}

export function alertMessage(a: Alert, prefix = 'perpx'): BusMessage {
  const { orders, trades, touches, book, ...summary } = a;
  const payload = { ...summary, evidence: { orders: orders.length, trades: trades.length } };
  return { topic: `${alertTopicRoot(prefix)}/${a.detector}`, payload: new TextEncoder().encode(JSON.stringify(payload)), qos: 1, retain: false };
}
