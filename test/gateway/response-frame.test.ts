// A successful request's `res` frame, written from its template (handlers/response-frame.ts), is the bytes
// the library writes for `{ t: 'res', id, rx, tx, rl, ok: true, data }`: through the Router, for handler
// results of every kind of data (none, scalars of every width, strings, bigints, nested maps and arrays,
// maps with undefined values), answered at once, by a promise or later by the handler itself (LATER), on
// fixed and seeded random values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Encoder } from '@msgpack/msgpack';
import { LATER, ok, type RequestContext, type Result } from '../../gateway/handlers/handler.js';
import { Router } from '../../gateway/handlers/router.js';
import { FrameCodec } from '../../gateway/protocol/codec.js';
import { ENCODER_OPTIONS } from '../../gateway/protocol/frame-writer.js';
import { below, rng, testSeed, type Rng } from '../support/seed.js';

const plain = new Encoder(ENCODER_OPTIONS);

/** A Router answering `ping` with whatever `answer` holds, its clock and rate limit set by the test. */
function rig() {
  const codec = new FrameCodec();
  const sent: Uint8Array[] = [];
  const state = { answer: ok(undefined) as Result | Promise<Result> | typeof LATER, nowUs: 0, remaining: 0, asked: [] as RequestContext[] };
  const limiter = { take: () => ({ ok: true, remaining: state.remaining, retryAfterMs: 0 }), sweep: () => {} };
  const router = new Router(codec, new Map([['ping', (c: RequestContext) => (state.asked.push(c), state.answer)]]), limiter as never, undefined as never, () => state.nowUs, () => 0);
  const session = { ip: '127.0.0.1', key: undefined, send: (f: Uint8Array) => (sent.push(Uint8Array.from(f)), true) };
  const ask = (id: number) => router.onFrame(session as never, plain.encode({ op: 'ping', id }));
  return { state, sent, ask };
}

function randomValue(r: Rng, depth: number): unknown {
  switch (below(r, depth > 2 ? 8 : 10)) {
    case 0:
      return below(r, 256);
    case 1:
      return r() * 2 ** 21 + below(r, 2 ** 20); // past 32 bits
    case 2:
      return -below(r, 2 ** 31) - below(r, 2);
    case 3:
      return ['', 'buy', 'expired', 'é€', 'x'.repeat(40)][below(r, 5)];
    case 4:
      return below(r, 2) === 0;
    case 5:
      return below(r, 2) === 0 ? BigInt(r()) * -(2n ** 31n) : null;
    case 6:
      return undefined;
    case 7:
      return 0.5 * r();
    case 8:
      return Array.from({ length: below(r, 5) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: below(r, 20) }, (_, i) => [`k${i}`, randomValue(r, depth + 1)]));
  }
}

test('ok responses are the library bytes of the whole message, data or none', async () => {
  const { state, sent, ask } = rig();
  const datas: unknown[] = [undefined, null, 0, { orderId: 12, clientOrderId: 7, market: 1, price: 600_000, qty: 5, trigger: 0, acceptedUs: 1_765_000_000_000_000, replayed: false }, { none: undefined }, [1, 'two', 3n], 'pong'];
  for (const [i, data] of datas.entries()) {
    state.nowUs = 1_765_000_000_000_000 + i;
    state.remaining = [0, 1, 127, 128, 65_536, 2 ** 32, 1e9][i]!;
    state.answer = ok(data);
    ask(i);
    const rx = state.nowUs;
    assert.deepEqual(sent.at(-1), plain.encode({ t: 'res', id: i, rx, tx: rx, rl: state.remaining, ok: true, data }), `data ${i}`);
  }
  // answered later (a handler's promise), with other clock readings for rx and tx
  state.answer = Promise.resolve(ok({ later: true }));
  state.nowUs = 5;
  ask(99);
  state.nowUs = 2 ** 40;
  await state.answer;
  await Promise.resolve();
  assert.deepEqual(sent.at(-1), plain.encode({ t: 'res', id: 99, rx: 5, tx: 2 ** 40, rl: state.remaining, ok: true, data: { later: true } }));
});

test('ok responses match the library on random data', () => {
  const seed = testSeed('response-frame');
  const r = rng(seed);
  const { state, sent, ask } = rig();
  for (let i = 0; i < 2_000; i++) {
    const data = below(r, 4) === 0 ? randomValue(r, 0) : Object.fromEntries(Array.from({ length: below(r, 18) }, (_, k) => [`f${k}`, randomValue(r, 1)]));
    state.answer = ok(data);
    state.nowUs = below(r, 2) === 0 ? r() : r() * 2 ** 20;
    state.remaining = below(r, 2) === 0 ? below(r, 200) : r();
    const id = below(r, 2) === 0 ? below(r, 128) : r() * 2 ** 21 + r();
    ask(id);
    assert.deepEqual(sent.at(-1), plain.encode({ t: 'res', id, rx: state.nowUs, tx: state.nowUs, rl: state.remaining, ok: true, data }), `seed ${seed}, response ${i}`);
  }
});

test('a handler that answers later itself: one response, when it answers, with the id and times of its request', () => {
  const { state, sent, ask } = rig();
  state.answer = LATER;
  state.remaining = 42;
  state.nowUs = 1_000;
  ask(1);
  ask(2);
  assert.equal(sent.length, 0);
  state.nowUs = 2_000;
  state.asked[1]!.answer(ok({ second: true }));
  state.asked[0]!.answer({ ok: false, code: 1, message: 'no' });
  // a second answer to a request is dropped: one response per request
  state.asked[1]!.answer(ok({ again: true }));
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[0], plain.encode({ t: 'res', id: 2, rx: 1_000, tx: 2_000, rl: 42, ok: true, data: { second: true } }));
  const refused = new FrameCodec().decode(sent[1]!) as Record<string, unknown>;
  assert.equal(refused['id'], 1);
  assert.equal(refused['ok'], false);
  assert.equal((refused['error'] as Record<string, unknown>)['message'], 'no');
});
