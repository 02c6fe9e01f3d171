// The in-process exchange treats a record whose handling throws as the threaded one treats a dead worker:
// the shard is gone and the exchange halts. pump() reports it (a ShardFailedError naming the shard and the
// record), the command is answered SHARD_FAILED, and every later pump() or submit() refuses with the same
// error: the record that threw is never re-delivered and skipped as already seen, and nothing is built on
// the half-handled state it left (issue 8: a phantom order and reservation).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { InProcessExchange, type GatewaySource } from '../../exchange/in-process-exchange.js';
import { ShardFailedError } from '../../exchange/shard-failure.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { indexTick, place } from '../support/commands.js';
import { deposit } from '../support/risk-commands.js';

const REJ = OrderRejectedLayout.offsets;
const PO = PlaceOrderLayout.offsets;
const T0 = 1_700_000_000_000_000;

test('a record that throws halts the in-process exchange: answered once, never re-delivered, every later call refused', () => {
  const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!]], riskShards: 1 });
  const x = new InProcessExchange({ topology, riskMarkets: [riskMarket(DEFAULT_MARKETS[0]!)] });
  const seen: { type: number; code: number; orderId: number; clientOrderId: number; from: GatewaySource }[] = [];
  x.onGateway((buf, at, from) =>
    seen.push({ type: buf.type(at), code: buf.u16At(at, REJ.code), orderId: buf.u53At(at, REJ.orderId), clientOrderId: buf.u53At(at, REJ.clientOrderId), from }),
  );
  for (const c of [deposit(1, 1_000_000_000_000n, 1), indexTick(600_000, T0)]) x.send(c.layout, c.header, c.body);

  // A fault in the risk shard: order 13 is fully handled (recorded, reservation taken, forwarded), then
  // the shard throws, as a bug past its last state change would.
  const risk = x.riskShards[0]!;
  const handle = risk.handle.bind(risk);
  let thrown = 0;
  risk.handle = (buf: RecordBuffer, at: number, input: number): void => {
    handle(buf, at, input);
    if (buf.type(at) === RecordType.PlaceOrder && buf.u53At(at, PO.orderId) === 13 && thrown++ === 0) throw new Error('fault after handling order 13');
  };
  const market = x.marketShards[0]!;
  const marketHandled = market.handled;
  const order = place({ orderId: 13, clientOrderId: 77, accountId: 1, priceTicks: 590_000, qtyLots: 1, timeUs: T0 + 1 });
  x.submit(order.layout, order.header, order.body);
  const before = seen.length;

  const e = (() => {
    try {
      x.pump();
    } catch (err) {
      return err;
    }
    return undefined;
  })();
  assert.ok(e instanceof ShardFailedError, 'pump reports the dead shard');
  assert.deepEqual(e.from, { kind: 'risk', shard: 0 });
  assert.match(e.message, /^risk shard 0 died: fault after handling order 13 \(handling PlaceOrder seq \d+ of input 0, account 1, market 1\)$/);
  assert.equal(x.failure, e);
  assert.deepEqual(seen.slice(before), [{ type: RecordType.OrderRejected, code: Code.SHARD_FAILED, orderId: 13, clientOrderId: 77, from: { kind: 'risk', shard: 0 } }]);

  // Halted: the same error every time, nothing delivered, the forwarded order never reaches the book.
  const delivered = seen.length;
  assert.throws(() => x.pump(), (err) => err === e);
  assert.throws(() => x.submit(order.layout, order.header, order.body), (err) => err === e);
  assert.equal(seen.length, delivered);
  assert.equal(market.handled, marketHandled, 'the order the dead shard had forwarded was not matched');
});
