// A PlaceOrder the risk shard accepts and the market's book refuses (post-only would take, FOK not
// fillable, duplicate client id, ...) is withdrawn as if the risk shard had never accepted it
// (docs/COMMANDS.md, "What a refusal leaves behind"): the account's reservation, and so its Available and
// Withdrawable, is what it would have been without the order, even when the mark moved in between, and a
// position record the order created leaves no state behind. Pinned by comparing state hashes with an
// exchange that was never sent the refused order.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { Side, StpMode, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord, type DecodedRecord } from '../../engine/ring/layouts/index.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { indexTick, place, setStp, type Cmd, type PlaceArgs } from '../support/commands.js';
import { deposit } from '../support/risk-commands.js';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000;
const USDT = 1_000_000n;
const BTC = 1;
const ETH = 2;

/** Two traders, a mark, and account 1's resting bid above it: a reservation that depends on the mark. */
function exchange() {
  const x = new InProcessExchange({ topology: new Topology({ marketShards: [[DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!]], riskShards: 1 }), riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)) });
  const events: DecodedRecord[] = [];
  x.onGateway((b, at) => events.push(decodeRecord(b, at)));
  const at = (c: Cmd, timeUs: number): Cmd => ({ ...c, header: { ...c.header, timeUs } });
  const submit = (c: Cmd, timeUs = T0 + 2 * S) => x.submit(c.layout, at(c, timeUs).header, c.body);
  const send = (c: Cmd, timeUs = T0 + 2 * S) => {
    submit(c, timeUs);
    x.pump();
  };
  send(deposit(1, 100_000n * USDT, 1), T0);
  send(deposit(2, 100_000n * USDT, 2), T0);
  send(indexTick(600_000, T0, BTC), T0);
  send(indexTick(30_000, T0, ETH), T0);
  // A bid above the mark carries an open loss in its reservation (docs/RISK.md OpenLoss): it moves with the mark.
  send(place({ orderId: 10, accountId: 1, side: Side.BUY, priceTicks: 603_000, qtyLots: 50, timeUs: T0 }), T0);
  send(indexTick(598_000, T0 + S, BTC), T0 + S);
  // The risk shard's time moves with every command it applies, the refused order's included (the market
  // refuses it after): a command that changes nothing else brings it to that time first.
  send(setStp(1, StpMode.EXPIRE_TAKER, BTC));
  events.length = 0;
  return { x, events, submit, send };
}

const order = (a: PlaceArgs): Cmd => place(a);
/** A FOK order against an empty ask side: the book refuses it (FOK_NOT_FILLABLE). */
const fok = (orderId: number, marketId = BTC, priceTicks = 600_000): Cmd => order({ orderId, accountId: 1, side: Side.BUY, priceTicks, qtyLots: 1, timeInForce: TimeInForce.FOK, marketId });
const resting = (orderId: number): Cmd => order({ orderId, accountId: 1, side: Side.BUY, priceTicks: 590_000, qtyLots: 3 });

function hashes(x: InProcessExchange): bigint[] {
  return [...x.marketShards.map((s) => s.stateHashExcludingStreams()), ...x.riskShards.map((s) => s.stateHashExcludingStreams())];
}

test('an order the book refuses leaves the account\'s reservation as it was, though the mark moved since it was computed', () => {
  const { x, events, send } = exchange();
  const account = x.riskShards[0]!.state.accounts.get(1)!;
  const reserved = account.positions.get(BTC)!.orderMarginAtoms;
  const before = hashes(x);
  send(fok(11));
  assert.deepEqual(events.map((e) => [e.type, e.code]), [['OrderRejected', Code.FOK_NOT_FILLABLE]]);
  assert.equal(account.positions.get(BTC)!.orderMarginAtoms, reserved);
  assert.deepEqual(hashes(x), before);
});

test('an order the book refuses in a market the account held nothing in leaves no position behind', () => {
  const { x, send } = exchange();
  const before = hashes(x);
  send(fok(12, ETH, 30_000));
  assert.deepEqual(hashes(x), before);
});

test('of two orders in flight, a refused first one is withdrawn as if only the second had been sent', () => {
  const a = exchange();
  a.submit(fok(11));
  a.submit(resting(12));
  a.x.pump();
  assert.deepEqual(a.events.filter((e) => e.type === 'OrderRejected').map((e) => e.orderId), [11]);
  const b = exchange();
  b.send(resting(12));
  assert.deepEqual(hashes(a.x), hashes(b.x));
});

test('of two orders in flight, a refused second one is withdrawn as if only the first had been sent', () => {
  const a = exchange();
  a.submit(resting(12));
  a.submit(fok(13));
  a.x.pump();
  const b = exchange();
  b.send(resting(12));
  assert.deepEqual(hashes(a.x), hashes(b.x));
});

test('three orders in flight, the outer two refused, leave what the middle one alone leaves', () => {
  const a = exchange();
  a.submit(fok(11));
  a.submit(resting(12));
  a.submit(fok(13));
  a.x.pump();
  const b = exchange();
  b.send(resting(12));
  assert.deepEqual(hashes(a.x), hashes(b.x));
});
