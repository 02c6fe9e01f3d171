// The peer of the load generator's comparison: a bare `ws` server in a process of its own that answers
// every request frame at once with the smallest answer of the gateway's shape, {t: "res", id, ok: true,
// rx: 0, tx: 0, rl: 0}: the request's id, no data, and no clock (rx and tx are 0). The generator's client
// (gateway/client/client.ts) then takes the same path for both peers: encode, send, decode the answer,
// match it by id. What the gateway adds over this is the cost of being an exchange.
//
// The peer itself stays as cheap as a server can be that answers by id (echo-answer.ts: the id read from
// the frame's first bytes, the answer written by hand). A frame without a numeric id gets no answer (the
// generator counts it lost).
//
//   node dist/bench/loadgen/echo-server.js   prints "listening <port>", stops on SIGTERM or SIGINT

import { WebSocketServer } from 'ws';
import { answer } from './echo-answer.js';

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
