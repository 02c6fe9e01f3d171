// Every kind of bad input gets a clear error code, changes nothing, and leaves the gateway serving: the
// same connection keeps working after each refusal (except an oversize frame, which closes it), other
// clients never notice, and no command reaches the exchange.

import assert from 'node:assert/strict';
import { decode, encode } from '@msgpack/msgpack';
import { after, before, test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PerpxClient } from '../../gateway/client/client.js';
import type { Response } from '../../gateway/client/types.js';
import { MID, startHarness, until, type Harness, type Trader } from './support/harness.js';

let h: Harness;
let t: Trader;
let offeredBefore = 0;

before(async () => {
  h = await startHarness({ gateway: { limits: { maxFrameBytes: 4096 } } });
  await h.mark(MID);
  t = await h.trader();
  offeredBefore = h.gateway.stats.commandsOffered;
});
after(() => h.stop());

/** Sends raw bytes and waits for the one response (bad frames answer with id 0 when no id can be read). */
function raw(c: PerpxClient, bytes: Uint8Array | string): Promise<Response> {
  return new Promise((resolve) => {
    const codecListener = (data: Buffer) => resolve(decodeRes(data));
    (c as unknown as { ws: { once(e: string, f: (d: Buffer) => void): void } }).ws.once('message', codecListener);
    c.sendRaw(bytes);
  });
}
const decodeRes = (b: Buffer) => decode(b, { useBigInt64: true }) as Response;

const cases: [string, Uint8Array | string, number, string?][] = [
  ['bytes that are not msgpack', Uint8Array.of(0xc1, 0x00), Code.MALFORMED_FRAME],
  ['a text frame', '{"op":"ping","id":1}', Code.MALFORMED_FRAME],
  ['an array instead of a map', encode([1, 2, 3]), Code.MALFORMED_FRAME],
  ['trailing bytes after the map', Uint8Array.from([...encode({ op: 'ping', id: 1 }), 0x01]), Code.MALFORMED_FRAME],
  ['a string past the decoder limit', encode({ op: 'ping', id: 1, x: 'a'.repeat(2000) }), Code.MALFORMED_FRAME],
  ['nesting past the decoder limit', encode({ op: 'ping', id: 1, x: [[[[[1]]]]] }), Code.MALFORMED_FRAME],
  ['an extension type', Uint8Array.from([0x82, ...encode('op'), ...encode('ping'), ...encode('id'), 0xd4, 0x05, 0x01]), Code.MALFORMED_FRAME],
  ['a __proto__ key', Uint8Array.from([0x83, ...encode('op'), ...encode('ping'), ...encode('id'), 0x01, ...encode('__proto__'), 0x01]), Code.MALFORMED_FRAME],
  ['an unknown operation', encode({ op: 'transferAll', id: 5 }), Code.UNKNOWN_OPERATION, 'op'],
  ['op of the wrong type', encode({ op: 7, id: 5 }), Code.INVALID_FIELD, 'op'],
  ['no request id', encode({ op: 'ping' }), Code.INVALID_FIELD, 'id'],
  ['a fractional request id', encode({ op: 'ping', id: 1.5 }), Code.INVALID_FIELD, 'id'],
  ['an unknown field', encode({ op: 'place', id: 6, market: 1, side: 'buy', type: 'limit', price: MID, qty: 1, leverage: 100 }), Code.UNKNOWN_FIELD, 'leverage'],
  ['a quantity of the wrong type', encode({ op: 'place', id: 7, market: 1, side: 'buy', type: 'limit', price: MID, qty: 'five' }), Code.INVALID_FIELD, 'qty'],
  ['a fractional price', encode({ op: 'place', id: 8, market: 1, side: 'buy', type: 'limit', price: 600000.5, qty: 1 }), Code.INVALID_FIELD, 'price'],
  ['a negative quantity', encode({ op: 'place', id: 9, market: 1, side: 'buy', type: 'limit', price: MID, qty: -1 }), Code.INVALID_FIELD, 'qty'],
  ['a price past 2^53', encode({ op: 'place', id: 10, market: 1, side: 'buy', type: 'limit', price: 2n ** 60n, qty: 1 }, { useBigInt64: true }), Code.INVALID_FIELD, 'price'],
  ['an unknown side', encode({ op: 'place', id: 11, market: 1, side: 'up', type: 'limit', price: MID, qty: 1 }), Code.INVALID_FIELD, 'side'],
  ['a missing required field', encode({ op: 'place', id: 12, market: 1, side: 'buy', type: 'limit', price: MID }), Code.INVALID_FIELD, 'qty'],
  ['a market id past u16', encode({ op: 'place', id: 13, market: 70000, side: 'buy', type: 'limit', price: MID, qty: 1 }), Code.INVALID_FIELD, 'market'],
  ['a batch item with an unknown field', encode({ op: 'batchPlace', id: 14, orders: [{ market: 1, side: 'buy', type: 'limit', price: MID, qty: 1, bogus: 1 }] }), Code.UNKNOWN_FIELD, 'orders[0].bogus'],
  ['a batch item with a fractional price', encode({ op: 'batchPlace', id: 18, orders: [{ market: 1, side: 'buy', type: 'limit', price: MID, qty: 1 }, { market: 1, side: 'buy', type: 'limit', price: 0.5, qty: 1 }] }), Code.INVALID_FIELD, 'orders[1].price'],
  ['a batch item missing a required field', encode({ op: 'batchPlace', id: 19, orders: [{ market: 1, side: 'buy', type: 'limit', price: MID }] }), Code.INVALID_FIELD, 'orders[0].qty'],
  ['a batch item that is not a map', encode({ op: 'batchPlace', id: 20, orders: [7] }), Code.INVALID_FIELD, 'orders[0]'],
  ['an empty batch', encode({ op: 'batchPlace', id: 15, orders: [] }), Code.INVALID_FIELD, 'orders'],
  ['a withdrawal of a float amount', encode({ op: 'withdraw', id: 16, amount: 1.25 }), Code.INVALID_FIELD, 'amount'],
  ['a login with a signature of the wrong type', encode({ op: 'login', id: 17, keyId: 'k', ts: 1, nonce: 'n', sig: 'abc' }), Code.INVALID_FIELD, 'sig'],
];

for (const [what, bytes, code, field] of cases) {
  test(`${what} is refused ${code}${field ? ` naming ${field}` : ''}, and the connection keeps serving`, async () => {
    const r = await raw(t.client, bytes);
    assert.equal(r.ok, false);
    assert.equal(r.error?.code, code, r.error?.message);
    if (field !== undefined) assert.equal(r.error?.field, field);
    assert.equal(typeof r.error?.name, 'string');
    assert.equal(r.error?.retryable, false);
    assert.equal((await t.client.ping()).serverUs > 0, true);
  });
}

test('nothing any bad frame carried reached the exchange', async () => {
  assert.equal(h.gateway.stats.commandsOffered, offeredBefore);
  assert.deepEqual((await t.client.openOrders()).orders, []);
});

test('a frame past maxFrameBytes closes that connection (1009) and no other', async () => {
  const victim = await PerpxClient.connect(h.url);
  const closed = new Promise<number>((resolve) => victim.once('close', (code) => resolve(code)));
  victim.sendRaw(encode({ op: 'ping', id: 1, pad: new Uint8Array(8000) }));
  assert.equal(await closed, 1009);
  assert.ok((await t.client.ping()).serverUs > 0);
  await until(() => h.gateway.stats.connections === 1, 'the victim is gone');
});
