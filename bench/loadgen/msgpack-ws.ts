// A load connection that speaks the gateway's framing: one binary WebSocket frame per msgpack map,
// requests {op, id, ...} answered by a map carrying the same id. Against the echo server the answer is
// the request itself; against the gateway it is {t: "res", id, ok, ...}. One reused Encoder and Decoder
// per connection, as the gateway's own client does.

import { Decoder, Encoder } from '@msgpack/msgpack';
import WebSocket from 'ws';
import type { LoadConnection } from './open-loop.js';

const CALL_IDS = 2 ** 50;

const leaveZero = (_mask: Buffer) => {};

/**
 * Whether a frame is a server-pushed message (a user-stream event, market data) and not a response, from
 * its first bytes: a map whose first key is `t` (0xa1 0x74) with a value other than 'res'. The gateway
 * writes `t` first; anything else (the echo server's answers, a frame written some other way) is decoded.
 * Orders make two or three user-stream frames each besides the response, and decoding them was the
 * generator's largest single cost after the writes.
 */
export function pushedFrame(b: Buffer): boolean {
  const h = b[0]!;
  // the first key's offset after the map's header: fixmap, map16 (user-stream events have ~20 fields), map32
  const k = h >= 0x80 && h <= 0x8f ? 1 : h === 0xde ? 3 : h === 0xdf ? 5 : 0;
  if (k === 0 || b.length < k + 7 || b[k] !== 0xa1 || b[k + 1] !== 0x74) return false;
  return !(b[k + 2] === 0xa3 && b[k + 3] === 0x72 && b[k + 4] === 0x65 && b[k + 5] === 0x73);
}

export interface MsgpackWsOptions {
  readonly url: string;
  /** The request fields besides id (op included). */
  readonly request: (id: number) => Record<string, unknown>;
  /** Runs after the socket opens and before the load (a login); gets a one-off request/response call. */
  readonly prepare?: (call: (msg: Record<string, unknown>) => Promise<Record<string, unknown>>) => Promise<void>;
}

export async function connectMsgpackWs(o: MsgpackWsOptions, onAck: (id: number, ok: boolean, answer: Record<string, unknown>) => void): Promise<LoadConnection> {
  // An all-zero masking key: ws then skips masking the payload and drawing 4 random bytes per frame.
  // RFC 6455 wants unpredictable keys from browsers (against proxy cache poisoning); a load generator
  // on loopback has no proxy to protect, and the server unmasks either way.
  const ws = new WebSocket(o.url, { perMessageDeflate: false, generateMask: leaveZero });
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
    if (pushedFrame(data)) return;
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
  const call = (msg: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = callId++;
      waiting.set(id, resolve);
      ws.send(encoder.encode({ ...msg, id }));
    });
  await o.prepare?.(call);
  // Frames sent in one turn leave in one write: the first send of a turn corks the socket and a
  // process.nextTick uncorks it, as the gateway's sessions do. ws writes each frame with a cork/uncork of
  // its own, i.e. one writev per frame, and on loopback each write also delivers to the receiver inside
  // the syscall: a profile of the generator at 20,000/s spent 27% of its CPU in writev.
  const socket = (ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  return {
    send(id) {
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      ws.send(encoder.encode(o.request(id)));
    },
    close() {
      return new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close(1000);
      });
    },
  };
}
