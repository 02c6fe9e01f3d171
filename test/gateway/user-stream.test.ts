// User streams without sockets: seqs contiguous per account, a resume replays exactly the frames after
// the position it names while they are kept (a ring of replayCap), and a snapshot once they are not.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameCodec } from '../../gateway/protocol/codec.js';
import { AccountViews } from '../../gateway/views/account-views.js';
import { UserStreams } from '../../gateway/views/user-stream.js';

const codec = new FrameCodec();

function sink() {
  const got: Record<string, unknown>[] = [];
  return { got, send: (f: Uint8Array) => (got.push(codec.decode(f) as Record<string, unknown>), true) };
}

function streams(cap: number) {
  const s = new UserStreams(77, codec, new AccountViews(), cap);
  const publish = (accountId: number, n: number) => {
    for (let i = 0; i < n; i++) s.publish(accountId, 'balance', { i });
  };
  return { s, publish };
}

test('each account numbers its own events from 1', () => {
  const { s, publish } = streams(8);
  const a = sink();
  const b = sink();
  s.attach(1, a);
  s.attach(2, b);
  publish(1, 3);
  publish(2, 2);
  assert.deepEqual(a.got.map((m) => m['seq']), [1, 2, 3]);
  assert.deepEqual(b.got.map((m) => m['seq']), [1, 2]);
});

test('a resume within the ring replays exactly the frames after its position, across the wrap', () => {
  const { s, publish } = streams(8);
  publish(1, 13);
  for (const from of [5, 9, 12, 13]) {
    assert.equal(s.canReplay(1, { epoch: 77, seq: from }), true, `from ${from}`);
    const k = sink();
    assert.equal(s.attach(1, k, { epoch: 77, seq: from }), 'replayed');
    assert.deepEqual(k.got.map((m) => m['seq']), Array.from({ length: 13 - from }, (_, i) => from + 1 + i));
    assert.deepEqual(k.got.map((m) => m['i']), Array.from({ length: 13 - from }, (_, i) => from + i));
    s.detach(1, k);
  }
});

test('a resume older than the ring, from another epoch or from the future gets a snapshot', () => {
  const { s, publish } = streams(8);
  publish(1, 13);
  for (const from of [{ epoch: 77, seq: 4 }, { epoch: 76, seq: 12 }, { epoch: 77, seq: 14 }]) {
    const k = sink();
    assert.equal(s.attach(1, k, from), 'snapshot');
    assert.equal(k.got.length, 1);
    assert.equal(k.got[0]!['t'], 'userSnapshot');
    assert.equal(k.got[0]!['seq'], 13);
    s.detach(1, k);
  }
});
