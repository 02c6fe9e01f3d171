// The client's lean options (ClientOptions, gateway/client/client.ts), each off by default: skipUnheard
// drops pushed frames unread only while nobody listens to their event, coalesceWrites corks a turn's
// frames into one write, zeroMask masks with an all-zero key. And the callback send path matches its
// responses by id like request() does.

import { encode } from '@msgpack/msgpack';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { PerpxClient, type ClientOptions } from '../../../gateway/client/client.js';
import { pushedEvent } from '../../../gateway/client/pushed.js';
import type { Response, UserEvent } from '../../../gateway/client/types.js';
import { harnessPerFile, MID, type Trader } from '../support/harness.js';

const ctx = harnessPerFile(0);

const bid = (clientOrderId: number) => ({ market: 1, side: 'buy' as const, type: 'limit' as const, price: MID - 1_000, qty: 1, clientOrderId });

/**
 * Places a resting order through `t` and returns once the user-stream frames it made have reached the
 * client: the gateway counted them out, and a ping answered after them on the same connection came back.
 */
async function placeAndSettle(t: Trader, clientOrderId: number): Promise<void> {
  const before = ctx.h.gateway.stats.userFramesOut;
  await t.client.place(bid(clientOrderId));
  while (ctx.h.gateway.stats.userFramesOut === before) await new Promise((r) => setTimeout(r, 2));
  await t.client.ping();
}

test('by default the client decodes user-stream frames nobody listens to (its position follows them)', async () => {
  const t = await ctx.h.trader();
  await placeAndSettle(t, 1);
  assert.notEqual(t.client.position, undefined);
});

test('with skipUnheard the client drops user-stream frames unread while nobody listens to them', async () => {
  const t = await ctx.h.trader({ client: { skipUnheard: true } });
  await placeAndSettle(t, 1);
  assert.equal(t.client.position, undefined, 'a decoded user-stream frame would have set the position');
});

test('with skipUnheard a listener added later receives the user-stream frames from then on', async () => {
  const t = await ctx.h.trader({ client: { skipUnheard: true } });
  await placeAndSettle(t, 1);
  const events: UserEvent[] = [];
  t.client.on('user', (e) => events.push(e));
  await placeAndSettle(t, 2);
  assert.ok(events.some((e) => e.kind === 'order' && e['clientOrderId'] === 2), JSON.stringify(events.map((e) => e.kind)));
  assert.equal(t.client.position?.seq, events.at(-1)!.seq);
});

test('with skipUnheard the callback send path still matches each response to its request by id', async () => {
  const t = await ctx.h.trader({ client: { skipUnheard: true } });
  const sent: number[] = [];
  const answers = await new Promise<Map<number, Response>>((resolve) => {
    const got = new Map<number, Response>();
    for (let i = 1; i <= 8; i++) {
      sent.push(
        t.client.send('place', bid(100 + i), (r) => {
          got.set(r.id, r);
          if (got.size === 8) resolve(got);
        }),
      );
    }
  });
  assert.deepEqual([...answers.keys()].sort((a, b) => a - b), sent);
  sent.forEach((id, i) => {
    const r = answers.get(id)!;
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal((r.data as { clientOrderId: number }).clientOrderId, 101 + i);
  });
});

test('send on a closed client answers CLOSED before it returns', async () => {
  const t = await ctx.h.trader();
  await t.client.close();
  let answer: Response | undefined;
  const id = t.client.send('ping', {}, (r) => (answer = r));
  assert.equal(answer?.id, id);
  assert.equal(answer?.error?.name, 'CLOSED');
});

test('pushedEvent names the event of a pushed frame from its first key, and leaves responses and the rest to decoding', () => {
  const e = (m: unknown) => encode(m);
  assert.equal(pushedEvent(e({ t: 'user', seq: 1, ev: { k: 1 } })), 'user');
  assert.equal(pushedEvent(e({ t: 'userSnapshot', seq: 1 })), 'userSnapshot');
  assert.equal(pushedEvent(e({ t: 'md', ch: 'trades' })), 'md');
  assert.equal(pushedEvent(e({ t: 'notice', code: 1 })), 'notice');
  const wide = (t: string) => Object.fromEntries([['t', t], ...Array.from({ length: 20 }, (_, i) => [`f${i}`, i])]);
  assert.equal(pushedEvent(e(wide('user'))), 'user', 'a map16 user-stream event');
  assert.equal(pushedEvent(e(wide('res'))), undefined, 'a map16 response');
  assert.equal(pushedEvent(e({ t: 'res', id: 7, ok: true })), undefined);
  assert.equal(pushedEvent(e({ op: 'place', id: 7, market: 1 })), undefined, 'no t first');
  assert.equal(pushedEvent(e({ id: 7, t: 'user', x: 1 })), undefined, 't not first: decoded');
  assert.equal(pushedEvent(e({ t: 7 })), undefined, 't not a string');
  assert.equal(pushedEvent(new Uint8Array([0x81, 0xa1, 0x74, 0xa4, 0x75])), undefined, 'cut short');
});

/**
 * The masking keys of the first `frames` frames the client sends, read by a bare TCP server that does the
 * WebSocket handshake itself (a ws server unmasks and hides them).
 */
async function maskingKeys(o: ClientOptions, frames: number): Promise<Buffer[]> {
  let socket: Socket | undefined;
  const keys: Buffer[] = [];
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  const server = createServer((s) => {
    socket = s;
    let buf = Buffer.alloc(0);
    let open = false;
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!open) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const key = /sec-websocket-key: *(\S+)/i.exec(buf.subarray(0, end).toString('latin1'))![1]!;
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        s.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        buf = buf.subarray(end + 4);
        open = true;
      }
      // client frames: FIN/opcode, MASK bit + a 7-bit length (the requests here are short), 4-byte key, payload
      while (buf.length >= 6 && buf.length >= 6 + (buf[1]! & 0x7f)) {
        assert.equal(buf[1]! & 0x80, 0x80, 'a client frame is always marked masked');
        keys.push(Buffer.from(buf.subarray(2, 6)));
        buf = buf.subarray(6 + (buf[1]! & 0x7f));
        if (keys.length === frames) done();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const client = await PerpxClient.connect(`ws://127.0.0.1:${port}`, o);
  for (let i = 0; i < frames; i++) client.send('ping', {}, () => {});
  await all;
  client.terminate();
  socket?.destroy();
  await new Promise((r) => server.close(r));
  return keys;
}

test('by default the client masks its frames with fresh random keys', async () => {
  const keys = await maskingKeys({}, 4);
  assert.ok(keys.some((k) => !k.equals(Buffer.alloc(4))), keys.map((k) => k.toString('hex')).join(' '));
  assert.equal(new Set(keys.map((k) => k.toString('hex'))).size, 4, 'a fresh key per frame');
});

test('with zeroMask the client masks its frames with an all-zero key', async () => {
  const keys = await maskingKeys({ zeroMask: true }, 4);
  assert.deepEqual(keys.map((k) => k.toString('hex')), ['00000000', '00000000', '00000000', '00000000']);
});

/** The net.Socket under the client's ws WebSocket. */
const netSocket = (c: PerpxClient) => (c as unknown as { ws: { _socket: Socket } }).ws._socket;

test('by default each frame is written at once (the socket is not left corked after a send)', async () => {
  const t = await ctx.h.trader();
  t.client.send('ping', {}, () => {});
  assert.equal(netSocket(t.client).writableCorked, 0);
});

test('with coalesceWrites the frames of one turn wait in the corked socket until the turn ends, and are answered', async () => {
  const t = await ctx.h.trader({ client: { coalesceWrites: true } });
  const answered = [1, 2, 3].map(() => new Promise<Response>((r) => t.client.send('ping', {}, r)));
  assert.equal(netSocket(t.client).writableCorked, 1, 'corked once for the turn');
  await new Promise((r) => process.nextTick(r));
  assert.equal(netSocket(t.client).writableCorked, 0, 'uncorked at the end of the turn');
  for (const r of await Promise.all(answered)) assert.equal(r.ok, true);
});
