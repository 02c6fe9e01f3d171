// The load generator's open loop counts what overload looks like from the client: refusals by code, the
// connections the server closed (by close code) and the requests lost on them, and the latency of the
// answers that were not refusals. Fake connections: connection 0 answers OK, connection 1 refuses
// BACK_PRESSURE, connection 2 was closed by the server (4017) and answers nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runOpenLoop, type Connect } from '../../bench/loadgen/open-loop.js';

test('runOpenLoop counts refusals by code, server closes and the requests lost on them', async () => {
  let made = 0;
  const connect: Connect = async (onAck) => {
    const which = made++;
    return {
      send(id) {
        if (which === 0) setImmediate(() => onAck(id, true, { id, ok: true }));
        else if (which === 1) setImmediate(() => onAck(id, false, { id, ok: false, error: { code: 6003 } }));
      },
      close: async () => {},
      closeCode: () => (which === 2 ? 4017 : undefined),
    };
  };
  const r = await runOpenLoop(connect, 3, 300, 1, 50, undefined, 'timer');
  assert.equal(r.sent, 300);
  assert.equal(r.acked, 200);
  assert.equal(r.refused, 100);
  assert.deepEqual(r.refusedByCode, { 6003: 100 });
  assert.deepEqual(r.serverCloses, { 4017: 1 });
  assert.equal(r.lost, 100);
  assert.equal(r.lostOnClosed, 100, 'every lost request was on the connection the server closed');
  assert.ok(r.okP50Us > 0);
});
