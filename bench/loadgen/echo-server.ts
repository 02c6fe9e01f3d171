// The peer of the load generator's comparison: a bare `ws` server that sends every binary frame back as
// it came, in a process of its own. What the gateway adds over this is the cost of being an exchange.
//
//   node dist/bench/loadgen/echo-server.js   prints "listening <port>", stops on SIGTERM or SIGINT

import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1 << 16 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
wss.on('listening', () => {
  const a = wss.address();
  console.log(`listening ${typeof a === 'object' && a !== null ? a.port : a}`);
});
const stop = () => wss.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
