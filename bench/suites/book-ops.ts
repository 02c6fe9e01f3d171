// book-ops: what one book operation costs on a book of realistic depth (20,000 resting orders over 400
// levels a side, resting-slots.ts): add, cancel, amend (quantity down; price change) and match (a taker
// that fills exactly one resting order).
//
// Each tinybench call runs a batch of BATCH_OPS operations of one kind, so the clock is read around
// ~10 µs of work rather than ~100 ns; p50/p99 are per-call figures divided by the batch (batch means per
// operation). Untimed hooks undo each batch so no case drifts: add re-places what beforeEach cancelled,
// cancel re-places in afterEach, amend-price moves an order one tick away and back, amend-qty takes one
// lot off orders of 500,000, match consumes makers placed inside the spread by beforeEach. After every
// repetition the book must hold exactly its 20,000 slots and every call must have returned Code.OK.

import { Bench } from 'tinybench';
import { codeName } from '../../engine/codes.js';
import { OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { OrderRequest } from '../../engine/book/types.js';
import { fromTask, median, type CaseResult, type Suite } from '../harness.js';
import { BookKind, newBook } from '../lib/book-factory.js';
import { CountingSink } from '../lib/counting-sink.js';
import { MID_TICKS, RestingSlots, SLOTS } from '../lib/resting-slots.js';

const SUITE = 'book-ops';
const BATCH_OPS = 100;
/** Accounts outside the slots' range: the maker sells (even), the taker buys (odd). */
const MAKER_ACCOUNT = 2_002;
const TAKER_ACCOUNT = 2_001;
const MATCH_LOTS = 10;

interface Case {
  name: string;
  before?: () => void;
  body: () => void;
  after?: () => void;
}

/**
 * A case as tinybench wants it. tinybench also calls the function once outside the hooks (to see
 * whether it is async), so a call that finds its batch unprepared runs before and after itself: the
 * book stays consistent whatever the caller does.
 */
function toTask(c: Case): [() => void, { beforeEach: () => void; afterEach: () => void }] {
  let armed = false;
  let owed = false;
  const fn = (): void => {
    if (!armed) c.before?.();
    c.body();
    if (!armed) c.after?.();
    owed = armed;
    armed = false;
  };
  const beforeEach = (): void => {
    c.before?.();
    armed = true;
  };
  const afterEach = (): void => {
    if (owed) c.after?.();
    owed = false;
  };
  return [fn, { beforeEach, afterEach }];
}

function defineCases(slots: RestingSlots): Case[] {
  const batch = new Int32Array(BATCH_OPS);
  const take = (): void => slots.take(batch, BATCH_OPS);
  const each = (f: (slot: number) => void) => (): void => {
    for (let k = 0; k < BATCH_OPS; k++) f(batch[k]!);
  };
  const req = new OrderRequest();
  req.orderType = OrderType.LIMIT;
  req.priceTicks = MID_TICKS;
  req.qtyLots = MATCH_LOTS;
  const placeAtMid = (side: Side, accountId: number, tif: TimeInForce): void => {
    req.orderId = slots.newOrderId();
    req.accountId = accountId;
    req.side = side;
    req.timeInForce = tif;
    slots.check(slots.book.place(req));
  };
  const place = each((s) => slots.place(s));
  const cancel = each((s) => slots.cancel(s));
  return [
    {
      name: 'add (rest away from the touch)',
      before: () => {
        take();
        cancel();
      },
      body: place,
    },
    { name: 'cancel', before: take, body: cancel, after: place },
    { name: 'amend (quantity down, keeps priority)', before: take, body: each((s) => slots.amend(s, 0, slots.qtyLots[s]! - 1)) },
    {
      name: 'amend (price one tick away and back)',
      before: take,
      body: each((s) => {
        const home = RestingSlots.homePrice(s);
        const away = RestingSlots.side(s) === Side.BUY ? home - 1 : home + 1;
        slots.amend(s, slots.priceTicks[s] === home ? away : home, 0);
      }),
    },
    {
      // Makers at the mid, inside the spread (bids end at mid-1, asks start at mid+1): each taker of
      // the batch meets the oldest one alone, and the last empties the level.
      name: 'match (taker fills one resting order)',
      before: () => {
        for (let k = 0; k < BATCH_OPS; k++) placeAtMid(Side.SELL, MAKER_ACCOUNT, TimeInForce.GTC);
      },
      body: () => {
        for (let k = 0; k < BATCH_OPS; k++) placeAtMid(Side.BUY, TAKER_ACCOUNT, TimeInForce.IOC);
      },
    },
  ];
}

async function repetition(quick: boolean): Promise<CaseResult[]> {
  const slots = new RestingSlots(newBook(BookKind.FAST, new CountingSink()));
  const bench = new Bench({ time: quick ? 150 : 1_000, warmupTime: quick ? 50 : 250 });
  for (const c of defineCases(slots)) bench.add(c.name, ...toTask(c));
  await bench.run();
  if (slots.failures > 0) throw new Error(`${SUITE}: ${slots.failures} book calls did not return OK, the last ${codeName(slots.lastFailureCode)}`);
  if (slots.book.orderCount() !== SLOTS) throw new Error(`${SUITE}: the book drifted to ${slots.book.orderCount()} orders`);
  return bench.tasks.map((task) => {
    const r = fromTask(SUITE, task, BATCH_OPS, { batchOps: BATCH_OPS, restingOrders: SLOTS });
    return { ...r, p50Ns: Math.round(r.p50Ns / BATCH_OPS), p99Ns: Math.round(r.p99Ns / BATCH_OPS) };
  });
}

const suite: Suite = {
  description: 'per-operation cost of add, cancel, amend and match on a 20,000-order book (OrderBook)',
  async run(ctx) {
    const reps: CaseResult[][] = [];
    for (let r = 0; r < (ctx.quick ? 1 : 5); r++) reps.push(await repetition(ctx.quick));
    // Median of each figure over the repetitions (each repetition builds a fresh book).
    return reps[0]!.map((first, i) => {
      const all = reps.map((rep) => rep[i]!);
      return {
        ...first,
        opsPerSec: median(all.map((c) => c.opsPerSec)),
        p50Ns: median(all.map((c) => c.p50Ns)),
        p99Ns: median(all.map((c) => c.p99Ns)),
        samples: all.reduce((s, c) => s + c.samples, 0),
        repetitions: all.length,
      };
    });
  },
};

export default suite;
