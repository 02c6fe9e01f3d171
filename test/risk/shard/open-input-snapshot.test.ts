// A risk shard snapshot can be taken between two records of one market input (a consumer batch may end
// there): the input it is in the middle of (HeaderFlag.MORE, risk/shard/escalation-order.ts) is part of
// the state, so the decoded shard waits for that input's last record as the original does, and a shard
// between inputs encodes as before the flag existed (risk-snapshot-compat.test.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderOrigin, OrderType, Side, TimeInForce } from '../../../engine/enums.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { readSnapshotStreams } from '../../../engine/snapshot/shard-streams.js';
import type { LiquidationEngine } from '../../../risk/shard/liquidation-engine.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { ActionDriver } from '../../property/action-driver.js';
import { place } from '../../support/commands.js';

test('a risk snapshot taken in the middle of a market input\'s records keeps that input open', () => {
  const d = new ActionDriver({ traders: [{ depositUsdt: 50_000, isolated: [false, false], leverage: [10, 10] }], insuranceTopUpUsdt: 0, perEventCapUsdt: 1_000, markets: 1, marketShards: 1, riskShards: 1 });
  d.setup();
  const x = d.h.exchange;
  const shard = x.riskShards[0]!;
  const open = (): readonly number[] => (shard.liquidation as LiquidationEngine).escalation.openMarketInputs;
  // A buy through the market makers' three ask levels: its acceptance and fills come as one input's records.
  const cmd = place({ orderId: d.h.orderId(), accountId: 3, side: Side.BUY, priceTicks: 0, qtyLots: 1_000, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, origin: OrderOrigin.USER });
  x.submit(cmd.layout, { ...cmd.header, timeUs: d.h.nowUs }, cmd.body);
  let seen = 0;
  while (x.pump(1) > 0) {
    if (open().length === 0) continue;
    seen++;
    const bytes = shard.encodeState();
    const { streams } = readSnapshotStreams(bytes);
    const decoded = RiskShard.decode(bytes, new MemoryOutput(1, streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new MemoryOutput(1, s)));
    assert.deepEqual((decoded.liquidation as LiquidationEngine).escalation.openMarketInputs, open());
    assert.equal(decoded.stateHash(), shard.stateHash());
    assert.deepEqual(decoded.encodeState(), bytes);
  }
  assert.ok(seen > 0, 'the market input was seen in the middle of its records');
  assert.deepEqual(open(), [], 'and closed by its last record');
});
