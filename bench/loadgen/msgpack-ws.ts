// A load connection that speaks the gateway's framing: one binary WebSocket frame per msgpack map,
// requests {op, id, ...} answered by a map carrying the same id. Against the echo server the answer is
// the request itself; against the gateway it is {t: "res", id, ok, ...}. One reused Encoder and Decoder
// per connection, as the gateway's own client does.

import { Decoder, Encoder } from '@msgpack/msgpack';
import WebSocket from 'ws';
import type { LoadConnection } from './open-loop.js';

const CALL_IDS = 2 ** 50;

export interface MsgpackWsOptions {
  readonly url: string;
  /** The request fields besides id (op included). */
  readonly request: (id: number) => Record<string, unknown>;
  /** Runs after the socket opens and before the load (a login); gets a one-off request/response call. */
  readonly prepare?: (call: (msg: Record<string, unknown>) => Promise<Record<string, unknown>>) => Promise<void>;
}

export async function connectMsgpackWs(o: MsgpackWsOptions, onAck: (id: number, ok: boolean, answer: Record<string, unknown>) => void): Promise<LoadConnection> {
  const ws = new WebSocket(o.url, { perMessageDeflate: false });
  ws.binaryType = 'nodebuffer';
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const encoder = new Encoder();
  const decoder = new Decoder({ useBigInt64: false });
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  // Ids of the load count from 0; one-off calls (login) use ids from 2^50 (request ids are unsigned).
  let callId = CALL_IDS;
  ws.on('message', (data: Buffer) => {
    const m = decoder.decode(data) as Record<string, unknown>;
    const id = m['id'];
    if (typeof id !== 'number') return;
    if (id >= CALL_IDS) {
      waiting.get(id)?.(m);
      waiting.delete(id);
      return;
    }
    onAck(id, m['ok'] !== false, m);
  });
  ws.on('error', () => {});
  // A close the generator did not ask for (the server's: SLOW_CONSUMER 4017, ...), by its code.
  let closing = false;
  let serverClose: number | undefined;
  ws.on('close', (code: number) => {
    if (!closing) serverClose = code;
  });
  const call = (msg: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = callId++;
      waiting.set(id, resolve);
      ws.send(encoder.encode({ ...msg, id }));
    });
  await o.prepare?.(call);
  return {
    send(id) {
      if (ws.readyState === WebSocket.OPEN) ws.send(encoder.encode(o.request(id)));
    },
    closeCode: () => serverClose,
    close() {
      closing = true;
      return new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close(1000);
      });
    },
  };
}
