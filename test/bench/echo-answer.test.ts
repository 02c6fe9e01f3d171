import { decode, encode } from '@msgpack/msgpack';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answer, leadingId } from '../../bench/loadgen/echo-answer.js';
import { FrameCodec } from '../../gateway/protocol/codec.js';

const request = (id: number) => encode({ op: 'place', id, market: 1, side: 'buy', type: 'limit', tif: 'ioc', price: 590_000, qty: 1, clientOrderId: 7 });

test("the echo peer answers a client's request with the gateway's response shape and the request's id, for ids of every width", () => {
  const codec = new FrameCodec();
  for (const id of [1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1]) {
    assert.equal(leadingId(request(id)), id, 'read from the first bytes');
    assert.deepEqual(codec.decode(answer(request(id))!), { t: 'res', id, ok: true, rx: 0, tx: 0, rl: 0 });
  }
});

test('the echo peer decodes a request whose id is not where the client puts it, and answers it the same', () => {
  const late = encode({ market: 1, op: 'place', id: 9 });
  assert.equal(leadingId(late), undefined);
  assert.deepEqual(decode(answer(late)!), { t: 'res', id: 9, ok: true, rx: 0, tx: 0, rl: 0 });
  const wide = encode({ op: 'ping', id: 2 ** 40 });
  assert.equal(leadingId(wide), undefined, 'past 32 bits: decoded');
  assert.deepEqual(decode(answer(wide)!), { t: 'res', id: 2 ** 40, ok: true, rx: 0, tx: 0, rl: 0 });
});

test('the echo peer does not answer a frame without a numeric id, nor bytes that are not msgpack', () => {
  assert.equal(answer(encode({ op: 'ping' })), undefined);
  assert.equal(answer(encode({ op: 'ping', id: 'x' })), undefined);
  assert.equal(answer(new Uint8Array([0xc1])), undefined);
  assert.equal(answer(new Uint8Array([0x82, 0xa2, 0x6f, 0x70])), undefined, 'cut short');
});
