// A seeded random mix of everything a risk shard handles, driven through MiniExchange (a real market
// shard matches the orders): deposits and withdrawals, limit and IOC orders (some reduce-only), cancels
// and amends, mark moves (small steps, sometimes jumps of a few percent), funding, leverage and margin-
// mode changes, isolated-margin moves, timer ticks. Used by the invariant and determinism tests and, as a
// recorded input stream, by the worker test.

import { OrderType, Side, TimeInForce } from '../../../engine/enums.js';
import { decodeRecord } from '../../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { scopesHoldingBack } from '../../../risk/shard/invariants.js';
import { MarginMode } from '../../../risk/shard/state.js';
import { amend, cancel, place, type Cmd } from '../../support/commands.js';
import { adjustIsolatedMargin, advanceTime, deposit, setLeverage, setMarginMode, withdraw } from '../../support/risk-commands.js';
import { rng } from '../../support/seed.js';
import { MiniExchange } from './mini-exchange.js';
import { BTC_ID, ETH_ID, usdt } from './shard-fixture.js';

const ACCOUNTS = 8;
const STEPS = 1_500;

export interface Run {
  exchange: MiniExchange;
  /** Withdrawals sent while some scope had negative equity, and what they got. */
  blockedWithdrawals: number[];
}

/**
 * Drives one exchange with a random but seeded mix of everything a risk shard handles. `tap` sees every
 * record the risk shard is handed (the worker test replays them).
 */
export function drive(seed: number, check: (x: MiniExchange, step: number) => void, steps = STEPS, tap?: MiniExchange['tap']): Run {
  const next = rng(seed);
  const pick = (n: number): number => next() % n;
  const x = new MiniExchange();
  if (tap !== undefined) x.tap = tap;
  const marks = new Map([
    [BTC_ID, 600_000],
    [ETH_ID, 300_000],
  ]);
  for (const [id, m] of marks) x.mark(id, m);
  let request = 1;
  let orderId = 1;
  const blocked: number[] = [];
  // The gateway's clock: timer ticks move it, and every command carries it (a shard refuses time that
  // goes backwards).
  let nowUs = 1;
  const send = (cmd: Cmd): void => x.send({ ...cmd, header: { ...cmd.header, timeUs: nowUs } });
  for (let a = 1; a <= ACCOUNTS; a++) send(deposit(a, usdt(2_000 + pick(60_000)), request++));
  for (let step = 0; step < steps; step++) {
    const account = 1 + pick(ACCOUNTS);
    const marketId = pick(3) === 0 ? ETH_ID : BTC_ID;
    const mark = marks.get(marketId)!;
    const r = pick(100);
    if (r < 45) {
      const side = pick(2) === 0 ? Side.BUY : Side.SELL;
      const offset = pick(1_200) - 600;
      send(
        place({
          orderId: orderId++,
          accountId: account,
          marketId,
          side,
          priceTicks: mark + offset,
          qtyLots: 1 + pick(marketId === BTC_ID ? 800 : 2_000),
          orderType: OrderType.LIMIT,
          timeInForce: pick(4) === 0 ? TimeInForce.IOC : TimeInForce.GTC,
          reduceOnly: pick(8) === 0,
        }),
      );
    } else if (r < 55) send(cancel(account, 1 + pick(orderId), 0, marketId));
    else if (r < 60) send(amend(account, 1 + pick(orderId), mark + pick(400) - 200, 1 + pick(600), marketId));
    else if (r < 72) {
      const move = pick(20) === 0 ? pick(6_001) - 3_000 : pick(601) - 300;
      const m = Math.max(1_000, mark + Math.round((mark * move) / 100_000));
      marks.set(marketId, m);
      x.mark(marketId, m);
    } else if (r < 77) {
      const negative = scopesHoldingBack(x.risk.state, account).length > 0;
      const before = x.riskGateway.length;
      send(withdraw(account, usdt(1 + pick(3_000)), request++));
      const reply = decodeRecord(x.riskGateway.records, x.riskGateway.offsetOf(before));
      if (negative) blocked.push(reply.code as number);
    } else if (r < 81) send(deposit(account, usdt(1 + pick(20_000)), request++));
    else if (r < 84) x.funding(marketId, BigInt(pick(20_001) - 10_000), mark);
    else if (r < 88) send(setLeverage(account, 1 + pick(50), marketId));
    else if (r < 91) send(setMarginMode(account, pick(2) === 0 ? MarginMode.CROSS : MarginMode.ISOLATED, marketId));
    else if (r < 95) send(adjustIsolatedMargin(account, usdt(pick(2_000)) - usdt(1_000), request++, marketId));
    else {
      nowUs = step + 2;
      send(advanceTime(nowUs));
    }
    check(x, step);
  }
  return { exchange: x, blockedWithdrawals: blocked };
}

/** The records a risk shard consumed in a random run, in order, with the input each came on. */
export function recordedInputs(seed: number, steps: number): { inputs: number[]; records: RecordBuffer } {
  const inputs: number[] = [];
  const copies: RecordBuffer[] = [];
  drive(seed, () => {}, steps, (buf, at, input) => {
    const copy = RecordBuffer.allocate(1);
    copy.copyFrom(buf, at, 0);
    copies.push(copy);
    inputs.push(input);
  });
  const records = RecordBuffer.allocate(copies.length);
  copies.forEach((c, i) => records.copyFrom(c, 0, records.at(i)));
  return { inputs, records };
}
