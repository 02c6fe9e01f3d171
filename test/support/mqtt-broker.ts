// The broker MQTT tests run against: Mosquitto (or any broker) when MQTT_URL is set (.ci/run sets it when
// one answers on 127.0.0.1:1883), otherwise the embedded aedes broker on a free port. Each test gets its
// own topic prefix, so tests running at once on one broker never see each other's messages.

import { connectAsync, type MqttClient } from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/bus/embedded-broker.js';

export interface TestBroker {
  readonly url: string;
  readonly external: boolean;
  close(): Promise<void>;
}

export async function testBroker(): Promise<TestBroker> {
  const url = process.env.MQTT_URL;
  if (url) return { url, external: true, close: async () => {} };
  const b: EmbeddedBroker = await startEmbeddedBroker(0);
  return { url: b.url, external: false, close: () => b.close() };
}

let n = 0;
export function testPrefix(): string {
  return `perpx-test-${process.pid}-${Date.now()}-${n++}`;
}

export function subscriber(url: string, reconnectPeriod = 50): Promise<MqttClient> {
  return connectAsync(url, { reconnectPeriod });
}

/** Waits (yielding to the event loop) until cond holds; fails with what after ms. Not a timing assertion. */
export async function until(cond: () => boolean, what: () => string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
