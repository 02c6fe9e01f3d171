// Feeds the oracle's pushed sources from an MQTT client: subscribes to each source's topic and hands
// every message on it to that source (pushed-source.ts checks and converts it). The client is the
// caller's (the market-data bus's connection, or one of its own), so credentials and TLS are set once.

import type { MqttClient } from 'mqtt';
import type { IndexOracle } from './oracle.js';

/** Subscribes; resolves when the broker has granted every topic. Returns how many topics. */
export async function subscribePushedSources(oracle: IndexOracle, client: MqttClient, qos: 0 | 1 = 1): Promise<number> {
  const byTopic = new Map(oracle.pushedSources().map((s) => [s.topic, s]));
  if (byTopic.size === 0) return 0;
  client.on('message', (topic, payload) => byTopic.get(topic)?.offer(payload));
  await client.subscribeAsync([...byTopic.keys()], { qos });
  return byTopic.size;
}
