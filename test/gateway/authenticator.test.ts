// The authenticator under a controlled clock: the receive window on both sides, nonces remembered within
// it and forgotten after, and nothing signed before the gateway started (a restart forgets nonces, so a
// request captured before it must not be replayable after it).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { Authenticator } from '../../gateway/auth/authenticator.js';
import { KeyRegistry } from '../../gateway/auth/key-registry.js';
import { canonicalBytes, signBytes } from '../../gateway/auth/signing.js';
import { generateEd25519 } from '../../gateway/client/keys.js';
import { MemoryStore } from '../../persistence/memory-store.js';

const T0 = 1_800_000_000_000_000;

async function setup() {
  let now = T0;
  const clock = () => now;
  const keys = await KeyRegistry.open(new MemoryStore(), clock);
  const accountId = await keys.createAccount('test');
  const pair = generateEd25519();
  const { keyId } = await keys.createKey('test', { accountId, publicKey: pair.publicKey, recvWindowMs: 5_000 });
  const signed = (ts: number, nonce: string) => ({ op: 'login', keyId, ts, nonce, sig: signBytes('ed25519', pair.seed, canonicalBytes('login', keyId, ts, nonce, {})), fields: {} });
  return { keys, clock, set: (t: number) => (now = t), signed };
}

test('the window holds on both sides of the server clock', async () => {
  const s = await setup();
  const auth = new Authenticator(s.keys, s.clock);
  s.set(T0 + 10_000_000);
  assert.equal(auth.check(s.signed(T0 + 10_000_000 + 5_000_000, 'a'), '127.0.0.1').ok, true);
  const ahead = auth.check(s.signed(T0 + 10_000_000 + 5_000_001, 'b'), '127.0.0.1');
  assert.equal(ahead.ok ? 0 : ahead.code, Code.TIMESTAMP_OUTSIDE_WINDOW);
  assert.equal(auth.check(s.signed(T0 + 5_000_000, 'c'), '127.0.0.1').ok, true);
  const behind = auth.check(s.signed(T0 + 4_999_999, 'd'), '127.0.0.1');
  assert.equal(behind.ok ? 0 : behind.code, Code.TIMESTAMP_OUTSIDE_WINDOW);
});

test('a nonce is refused within the window and its request cannot come back after it', async () => {
  const s = await setup();
  const auth = new Authenticator(s.keys, s.clock);
  s.set(T0 + 1_000);
  const req = s.signed(T0 + 1_000, 'n');
  assert.equal(auth.check(req, '127.0.0.1').ok, true);
  const again = auth.check(req, '127.0.0.1');
  assert.equal(again.ok ? 0 : again.code, Code.NONCE_REPLAYED);
  s.set(T0 + 1_000 + 5_000_001);
  const late = auth.check(req, '127.0.0.1');
  assert.equal(late.ok ? 0 : late.code, Code.TIMESTAMP_OUTSIDE_WINDOW, 'past the window the timestamp refuses it');
});

test('a request signed before the gateway started is refused, though within the window', async () => {
  const s = await setup();
  const captured = s.signed(T0 - 1_000, 'x');
  const auth = new Authenticator(s.keys, s.clock);
  const r = auth.check(captured, '127.0.0.1');
  assert.equal(r.ok ? 0 : r.code, Code.TIMESTAMP_OUTSIDE_WINDOW);
  assert.equal(auth.check(s.signed(T0, 'y'), '127.0.0.1').ok, true);
});
