// Session.send coalesces the frames of one event-loop turn into one socket write: the turn's first send
// corks the connection's socket, and the uncork comes once the turn's synchronous work and its promise
// continuations are done (an answer and the user-stream events of the same order leave together).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebSocket } from 'ws';
import { CONNECTION_DROPPED, Session } from '../../gateway/server/session.js';

function fakes() {
  const log: string[] = [];
  let corks = 0;
  const ws = { bufferedAmount: 0, send: (f: Uint8Array) => log.push(`send ${f[0]}${corks > 0 ? ' corked' : ''}`), terminate: () => log.push('terminate'), close: () => log.push('close') };
  const socket = {
    cork: () => {
      corks++;
      log.push('cork');
    },
    uncork: () => {
      corks--;
      log.push('uncork');
    },
    destroy: (e?: Error) => log.push(`destroy ${e === CONNECTION_DROPPED ? 'dropped' : String(e)}`),
  };
  return { log, ws: ws as unknown as WebSocket, socket };
}

test('frames sent in one turn, promise continuations included, go out under one cork', async () => {
  const { log, ws, socket } = fakes();
  const s = new Session(1, '127.0.0.1', ws, 1 << 20, 0, () => {}, socket);
  s.send(Uint8Array.of(1));
  s.send(Uint8Array.of(2));
  await Promise.resolve();
  s.send(Uint8Array.of(3));
  assert.deepEqual(log, ['cork', 'send 1 corked', 'send 2 corked', 'send 3 corked']);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log.slice(4), ['uncork'], 'uncorked once the turn is over');
  s.send(Uint8Array.of(4));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log.slice(5), ['cork', 'send 4 corked', 'uncork'], 'the next turn corks again');
});

test('a frame refused as a slow consumer neither corks nor sends; the session closes', async () => {
  const { log, ws, socket } = fakes();
  let slow = 0;
  const s = new Session(1, '127.0.0.1', ws, 4, 0, () => slow++, socket);
  assert.equal(s.send(new Uint8Array(8)), false);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, ['destroy dropped'], 'the socket is destroyed with the one shared error');
  assert.equal(slow, 1);
  assert.equal(s.closed, true);
});
