// The embedded MQTT broker (aedes) the bus publishes to when no external one is named, so the exchange
// needs nothing installed. It listens on 127.0.0.1 on a port other than 1883 (a system broker may hold
// that one); port 0 picks a free one (tests).

import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export const EMBEDDED_BROKER_PORT = 18830;

export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(port = EMBEDDED_BROKER_PORT, host = '127.0.0.1'): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  let closed: Promise<void> | undefined;
  return {
    url: `mqtt://${host}:${bound}`,
    port: bound,
    close: () =>
      (closed ??= (async () => {
        // Clients first: server.close waits for every open connection.
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}
