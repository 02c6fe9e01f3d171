// A slow consumer is dropped over a real socket: its socket is destroyed with the one shared error
// (CONNECTION_DROPPED), so every write still buffered fails with that error instead of a fresh
// ERR_STREAM_DESTROYED each (tens of thousands of stack traces in one burst at a 4 MiB cap), and the
// server forgets the connection.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { CONNECTION_DROPPED, type Session } from '../../gateway/server/session.js';
import { DEFAULT_SERVER_LIMITS, WsServer } from '../../gateway/server/ws-server.js';

test('a slow consumer’s socket is destroyed with the shared error; its buffered writes fail with it', async () => {
  let opened: ((s: Session) => void) | undefined;
  const session = new Promise<Session>((r) => (opened = r));
  let closed: (() => void) | undefined;
  const gone = new Promise<void>((r) => (closed = r));
  const server = new WsServer({ ...DEFAULT_SERVER_LIMITS, maxBufferedBytes: 256 * 1024 }, { onOpen: (s) => opened!(s), onFrame: () => {}, onBadFrame: () => {}, onClose: () => closed!() });
  const port = await server.listen(0);
  try {
  const client = new WebSocket(`ws://127.0.0.1:${port}/`);
  await new Promise((r) => client.once('open', r));
  client.on('error', () => {});
  (client as unknown as { _socket: { pause(): void } })._socket.pause();
  const s = await session;
  const socket = (s as unknown as { socket: Duplex }).socket;
  // one turn of sends: corked, every frame stays buffered in the stream until the cap is passed
  const frame = new Uint8Array(100);
  assert.equal(s.send(frame), true);
  // a write of the same turn, buffered behind the cork with the frames (its bytes never reach the client)
  const failed = new Promise<Error | null | undefined>((r) => socket.write(Buffer.alloc(1), r));
  let sent = 1;
  while (s.send(frame)) sent++;
  assert.ok(sent > 1_000, `${sent} frames buffered before the cap`);
  assert.equal(s.closed, true);
  assert.equal(server.stats.slowConsumers, 1);
  assert.equal(socket.destroyed, true);
  assert.equal(socket.errored, CONNECTION_DROPPED, 'destroyed with the shared error');
  assert.equal(await failed, CONNECTION_DROPPED, 'a buffered write fails with the shared error');
  await gone;
  assert.equal(server.size, 0, 'the server forgot the connection');
  client.terminate();
  } finally {
    await server.close();
  }
});
