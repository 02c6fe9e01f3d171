// A connection that sends more than readBudget frames at once is paused for the rest of the event loop's
// turn and resumed in the next: every frame is still read, in order, none lost, while a flood from one
// client no longer holds the loop for everything libuv could read from its socket in one go.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { DEFAULT_SERVER_LIMITS, WsServer } from '../../gateway/server/ws-server.js';

test('a flood past the read budget is read over several turns, every frame in order', async () => {
  const got: number[] = [];
  /** Turns of the event loop, counted by the test: the turn each frame was read in. */
  let turn = 0;
  let counting = true;
  const tick = () => {
    turn++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  const turns = new Set<number>();
  const server = new WsServer({ ...DEFAULT_SERVER_LIMITS, readBudget: 8 }, {
    onOpen: () => {},
    onFrame: (_s, f) => {
      got.push(f[0]! | (f[1]! << 8));
      turns.add(turn);
    },
    onBadFrame: () => {},
    onClose: () => {},
  });
  const port = await server.listen(0);
  const client = new WebSocket(`ws://127.0.0.1:${port}/`);
  try {
    await new Promise((r) => client.once('open', r));
    // 400 frames of 1 KiB: several socket reads' worth
    const n = 400;
    for (let i = 0; i < n; i++) {
      const f = new Uint8Array(1024);
      f[0] = i & 0xff;
      f[1] = i >> 8;
      client.send(f);
    }
    while (got.length < n) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(got, Array.from({ length: n }, (_, i) => i), 'every frame, in order');
    assert.ok(server.stats.readPauses >= 1, `${server.stats.readPauses} pauses`);
    assert.ok(turns.size >= 2, `read over ${turns.size} turns`);
  } finally {
    counting = false;
    client.terminate();
    await server.close();
  }
});
