// A load connection through the client SDK (gateway/client/client.ts), the one the tests, the demo and
// the README use: the generator's requests, logins and answers take the same code path against either
// peer (the echo server answers in the gateway's response shape, echo-server.ts).

import { PerpxClient, type ClientOptions } from '../../gateway/client/client.js';
import type { LoginCredentials, Response } from '../../gateway/client/types.js';
import type { LoadConnection, OnAck } from './open-loop.js';

/**
 * The client's lean options, all on for the load (their costs are in ClientOptions): the user-stream
 * events an order makes are dropped unread (nobody here listens), a turn's frames leave in one write,
 * and frames go unmasked (loopback only).
 */
const LOAD: ClientOptions = { skipUnheard: true, coalesceWrites: true, zeroMask: true };

export interface ClientLoadOptions {
  readonly url: string;
  /** The op and fields of request `id` (the run's numbering, not the client's ids). */
  readonly request: (id: number) => { readonly op: string; readonly fields: Record<string, unknown> };
  /** Logs in with these before the load (the gateway targets' printed credentials). */
  readonly login?: LoginCredentials;
}

/** What the client answers itself when its connection closes under a request: not the server's answer. */
const closedUnder = (r: Response): boolean => !r.ok && r.error?.code === 0 && r.error.name === 'CLOSED';

export async function connectClient(o: ClientLoadOptions, onAck: OnAck): Promise<LoadConnection> {
  const client = await PerpxClient.connect(o.url, LOAD);
  if (o.login !== undefined) await client.login(o.login);
  // A close the generator did not ask for (the server's: SLOW_CONSUMER 4017, ...), by its code.
  let closing = false;
  let serverClose: number | undefined;
  client.on('close', (code) => {
    if (!closing) serverClose = code;
  });
  return {
    send(id) {
      if (client.closed) return;
      const r = o.request(id);
      // A request the connection closed under stays unanswered: the run counts it lost (on a closed connection).
      client.send(r.op, r.fields, (res) => {
        if (!closedUnder(res)) onAck(id, res.ok, res as unknown as Record<string, unknown>);
      });
    },
    closeCode: () => serverClose,
    close() {
      closing = true;
      return client.close();
    },
  };
}
