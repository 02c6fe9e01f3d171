// The peer of the load generator's comparison: a bare `ws` server in a process of its own that answers
// every request frame at once with the smallest answer of the gateway's shape, {t: "res", id, ok: true,
// rx, tx, rl}, with the request's id (rx and tx its receive and send times in µs since the epoch, rl 0)
// and no data. The generator's client (gateway/client/client.ts) then takes the same path for both peers:
// encode, send, decode the answer, match it by id. What the gateway adds over this is the cost of being an
// exchange; the peer's own cost is decoding each request and encoding its answer (one reused msgpack
// Decoder and Encoder), what any msgpack WebSocket server pays. A frame that is not a msgpack map with a
// numeric id gets no answer (the generator counts it lost).
//
//   node dist/bench/loadgen/echo-server.js   prints "listening <port>", stops on SIGTERM or SIGINT

import { Decoder, Encoder } from '@msgpack/msgpack';
import { WebSocketServer } from 'ws';

const decoder = new Decoder({ useBigInt64: true });
const encoder = new Encoder();
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** The answer to one request frame, or undefined for a frame without a numeric id. */
function answer(data: Buffer): Uint8Array | undefined {
  const rx = nowUs();
  let id: unknown;
  try {
    id = (decoder.decode(data) as Record<string, unknown> | null)?.['id'];
  } catch {
    return undefined;
  }
  if (typeof id !== 'number') return undefined;
  return encoder.encode({ t: 'res', id, ok: true, rx, tx: nowUs(), rl: 0 });
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1 << 16 });
wss.on('connection', (ws) => {
  ws.on('message', (data: Buffer) => {
    const a = answer(data);
    if (a !== undefined) ws.send(a);
  });
});
wss.on('listening', () => {
  const a = wss.address();
  console.log(`listening ${typeof a === 'object' && a !== null ? a.port : a}`);
});
const stop = () => wss.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
