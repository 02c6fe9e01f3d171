// The canonical signing bytes are a published format: client libraries in other languages build them
// byte for byte. The server and this repository's client share one function, so a change to it would go
// unnoticed by a round trip; these pins catch it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalBytes, signBytes, verifyBytes, ed25519PublicKey } from '../../gateway/auth/signing.js';
import { generateEd25519 } from '../../gateway/client/keys.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

test('fields are sorted by name, nested values flattened, and envelope fields left out', () => {
  const bytes = canonicalBytes('batchPlace', 'k1', 1_700_000_000_000_000, 'n-1', {
    id: 9,
    op: 'batchPlace',
    sig: new Uint8Array(64),
    orders: [
      { side: 'buy', qty: 2, market: 1, reduceOnly: false },
      { side: 'sell', qty: 3, market: 1, price: 600_000 },
    ],
    amount: 12345678901234567890n,
  });
  assert.equal(
    text(bytes),
    [
      'perpx-v1',
      'batchPlace',
      'k1',
      '1700000000000000',
      'n-1',
      'amount=12345678901234567890',
      'orders[0].market=1',
      'orders[0].qty=2',
      'orders[0].reduceOnly=false',
      'orders[0].side=buy',
      'orders[1].market=1',
      'orders[1].price=600000',
      'orders[1].qty=3',
      'orders[1].side=sell',
    ].join('\n'),
  );
});

test('binary values are hex and absent values leave no line', () => {
  assert.equal(text(canonicalBytes('login', 'k', 1, 'n', { resume: { epoch: 5, seq: 0 }, x: Uint8Array.of(0xab, 0x01), y: undefined })), 'perpx-v1\nlogin\nk\n1\nn\nresume.epoch=5\nresume.seq=0\nx=ab01');
});

test('an Ed25519 signature verifies with the public key and fails on any other bytes', () => {
  const pair = generateEd25519();
  const msg = canonicalBytes('place', 'k', 1, 'n', { qty: 1 });
  const sig = signBytes('ed25519', pair.seed, msg);
  const pub = ed25519PublicKey(pair.publicKey);
  assert.equal(verifyBytes('ed25519', pub, msg, sig), true);
  assert.equal(verifyBytes('ed25519', pub, canonicalBytes('place', 'k', 1, 'n', { qty: 2 }), sig), false);
  assert.equal(verifyBytes('ed25519', pub, msg, sig.subarray(0, 63)), false);
});

test('HMAC-SHA256 matches the standard construction (RFC 4231 test case 2)', () => {
  const mac = signBytes('hmac-sha256', Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'));
  assert.equal(Buffer.from(mac).toString('hex'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  assert.equal(verifyBytes('hmac-sha256', Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'), mac), true);
  assert.equal(verifyBytes('hmac-sha256', Buffer.from('Jefe'), Buffer.from('what do ya want for nothing!'), mac), false);
});
