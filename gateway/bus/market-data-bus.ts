// Starts the market-data bus the way the exchange runs it: to the broker named by --mqtt URL or
// MQTT_URL (Mosquitto here; a clustered broker where one machine is not enough), or else to an embedded
// aedes broker on 127.0.0.1:18830 so that nothing needs installing. Credentials go in the URL
// (mqtt://user:pass@host) or MQTT_USERNAME / MQTT_PASSWORD; TLS with an mqtts:// URL and, when the
// broker's certificate needs them, MQTT_CA / MQTT_CERT / MQTT_KEY (PEM file paths) and
// MQTT_REJECT_UNAUTHORIZED=0 (tests only). All of it passes to mqtt.js as it is.

import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { MarketDataHub } from '../market-data/hub.js';
import type { EmbeddedBroker } from './embedded-broker.js';
import { MqttBusPublisher, type BusOptions } from './publisher.js';

export interface MarketDataBusOptions extends Omit<BusOptions, 'url' | 'clientOptions'> {
  /** --mqtt URL; wins over MQTT_URL. */
  readonly url?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Port of the embedded broker when no URL is given (0: any free one). */
  readonly embeddedPort?: number;
}

export interface MarketDataBus {
  readonly url: string;
  readonly publisher: MqttBusPublisher;
  /** The embedded broker, when the bus runs its own. */
  readonly broker: EmbeddedBroker | undefined;
  stop(): Promise<void>;
}

export function clientOptionsFromEnv(env: NodeJS.ProcessEnv): IClientOptions {
  const o: IClientOptions = {};
  if (env.MQTT_USERNAME) o.username = env.MQTT_USERNAME;
  if (env.MQTT_PASSWORD) o.password = env.MQTT_PASSWORD;
  if (env.MQTT_CA) o.ca = readFileSync(env.MQTT_CA);
  if (env.MQTT_CERT) o.cert = readFileSync(env.MQTT_CERT);
  if (env.MQTT_KEY) o.key = readFileSync(env.MQTT_KEY);
  if (env.MQTT_REJECT_UNAUTHORIZED === '0') o.rejectUnauthorized = false;
  return o;
}

export async function startMarketDataBus(hub: MarketDataHub, o: MarketDataBusOptions = {}): Promise<MarketDataBus> {
  const env = o.env ?? process.env;
  const external = o.url ?? (env.MQTT_URL || undefined);
  // aedes is loaded only for a broker of its own (npm start loads this file only with the bus on).
  const embedded = external === undefined ? await import('./embedded-broker.js') : undefined;
  const broker = embedded ? await embedded.startEmbeddedBroker(o.embeddedPort ?? embedded.EMBEDDED_BROKER_PORT) : undefined;
  const url = external ?? broker!.url;
  const publisher = new MqttBusPublisher(hub, { ...o, url, clientOptions: clientOptionsFromEnv(env) });
  return {
    url,
    publisher,
    broker,
    stop: async () => {
      await publisher.stop();
      await broker?.close();
    },
  };
}
