// gateway-order: the gateway's whole per-order path on one thread, as CPU per order over a fixed count:
// frame in (decode with limits, schema, rate limits, login and scope checks), the idempotency reservation
// and result (batched store writes), the command into the exchange, its events back through the dispatch
// loop (answer matching, read models, two user-stream frames), and the `res` frame out. The exchange is the
// in-process one (bench/lib/in-process-gateway-exchange.ts) and the connections are sessions over a
// stand-in socket that only counts frames, so the figure is JavaScript and allocation, not syscalls or
// thread hops: process.cpuUsage() over N orders, robust on a loaded machine (a neighbour stretches wall
// time, not the CPU an order costs).
//
//   case gateway-b1     one order at a time (each order alone in its turn: the low-rate path)
//   case gateway-b16    16 orders per turn over 16 sessions (what a busy gateway sees: one flush, one
//                       idempotency batch and one dispatch poll serve them all)
//   case exchange-only  the peer in the same run: the same orders submitted to the in-process exchange
//                       directly and pumped, 16 per turn; what the gateway adds is the difference
//
// Each case reports cpuUsPerOrder (user + system), gcPerKOrders (collections per 1,000 orders: an
// allocation figure), and gatewayUsPerOrder (the case's CPU minus exchange-only's). The flow is the load
// generator's: IOC bids under an empty book with a client order id (accepted, then expired: two events).

import { PerformanceObserver } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { Encoder } from '@msgpack/msgpack';
import type { WebSocket } from 'ws';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { OrderOrigin } from '../../engine/enums.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { canonicalBytes, signBytes } from '../../gateway/auth/signing.js';
import { generateEd25519 } from '../../gateway/client/keys.js';
import { Gateway } from '../../gateway/gateway.js';
import type { Router } from '../../gateway/handlers/router.js';
import { ORDER_TYPES, SIDES, TIME_IN_FORCE } from '../../gateway/protocol/order-fields.js';
import { Session } from '../../gateway/server/session.js';
import { MemoryStore } from '../../persistence/memory-store.js';
import { riskMarket } from '../../risk/shard/config.js';
import type { CaseResult, Suite } from '../harness.js';
import { InProcessGatewayExchange } from '../lib/in-process-gateway-exchange.js';

const SUITE = 'gateway-order';
const SESSIONS = 16;

/** A session over a stand-in socket: counts the `res` frames it is sent (a map whose first key is t = "res"). */
function countingSession(id: number, onRes: () => void): Session {
  const ws = {
    bufferedAmount: 0,
    send(f: Uint8Array) {
      // fixmap, "t" (a1 74), "res" (a3 ...): a response; "user" (a4 ...) is a user-stream frame.
      if (f[3] === 0xa3) onRes();
    },
    terminate() {},
    close() {},
    ping() {},
  };
  return new Session(id, '127.0.0.1', ws as unknown as WebSocket, 1 << 30, 0, () => {});
}

interface Rig {
  gateway: Gateway;
  router: Router;
  sessions: Session[];
  /** Resolves once `n` more responses have been sent. */
  responses(n: number): Promise<void>;
  stop(): Promise<void>;
}

async function rig(): Promise<Rig> {
  const markets = DEFAULT_MARKETS;
  const inner = new InProcessExchange({ topology: Topology.spread(markets, 2, 1), riskMarkets: markets.map((m) => riskMarket(m)) });
  const exchange = new InProcessGatewayExchange(inner);
  const store = new MemoryStore();
  const unlimited = { capacity: 1e9, refillPerSecond: 1e9 };
  const gateway = new Gateway({ exchange: exchange as never, store, markets, timerTickMs: 0, rateLimits: { perKey: unlimited, perIp: unlimited } });
  await gateway.open();
  const buf = RecordBuffer.allocate(1);
  encodeRecord(buf, 0, UpdateIndexPriceLayout, { marketId: 1, timeUs: Date.now() * 1000 }, { indexPriceTicks: 600_000, sourcesUsed: 3, stale: 0 });
  exchange.offer(buf, 0);
  exchange.flush();
  const router = (gateway as unknown as { router: Router }).router;
  let answered = 0;
  let want = 0;
  let done: (() => void) | undefined;
  const onRes = () => {
    if (++answered >= want && done !== undefined) {
      const d = done;
      done = undefined;
      d();
    }
  };
  const responses = (n: number) =>
    new Promise<void>((resolve) => {
      want = answered + n;
      done = resolve;
    });
  const encoder = new Encoder();
  const sessions: Session[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const accountId = await gateway.keys.createAccount('bench');
    const pair = generateEd25519();
    const { keyId } = await gateway.keys.createKey('bench', { accountId, alg: 'ed25519', publicKey: pair.publicKey, scopes: ['read', 'trade'] });
    const a = await gateway.operatorDeposit('bench', accountId, 1_000_000n * 1_000_000n);
    if (!a.ok) throw new Error(`deposit refused: ${a.code}`);
    const s = countingSession(i + 1, onRes);
    const ts = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    const nonce = randomBytes(12).toString('hex');
    const sig = signBytes('ed25519', pair.seed, canonicalBytes('login', keyId, ts, nonce, {}));
    const logged = responses(1);
    router.onFrame(s, encoder.encode({ op: 'login', id: 1, keyId, ts, nonce, sig }));
    await logged;
    if (s.key === undefined) throw new Error('login refused');
    sessions.push(s);
  }
  return { gateway, router, sessions, responses, stop: () => gateway.close() };
}

/** The load generator's order: an IOC bid under the market in an empty book (accepted, then expired). */
const placeFrame = (encoder: Encoder, id: number, cid: number) => encoder.encode({ op: 'place', id, market: 1, side: 'buy', type: 'limit', tif: 'ioc', price: 590_000, qty: 1, clientOrderId: cid });

function gcCounter(): { take(): number; stop(): void } {
  let n = 0;
  const o = new PerformanceObserver((l) => (n += l.getEntries().length));
  o.observe({ entryTypes: ['gc'] });
  return {
    take: () => {
      const v = n;
      n = 0;
      return v;
    },
    stop: () => o.disconnect(),
  };
}

/** CPU µs per order and GCs per 1,000 orders of `run(orders)`. */
async function measure(orders: number, run: (orders: number) => Promise<void>, gc: { take(): number }): Promise<{ cpuUsPerOrder: number; gcPerKOrders: number; wallMs: number }> {
  await new Promise((r) => setImmediate(r));
  gc.take();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await run(orders);
  const c = process.cpuUsage(c0);
  const wallMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 20));
  return { cpuUsPerOrder: Math.round(((c.user + c.system) / orders) * 100) / 100, gcPerKOrders: Math.round((gc.take() / orders) * 1000 * 100) / 100, wallMs: Math.round(wallMs) };
}

const suite: Suite = {
  description: 'the gateway per order on one thread (in-process exchange, stand-in sockets): CPU µs and GCs per order, vs the exchange alone',
  async run({ quick }) {
    const orders = quick ? 20_000 : 100_000;
    const encoder = new Encoder();
    const gc = gcCounter();
    const r = await rig();
    let id = 1;
    let cid = 1;
    const gatewayBatch = (batch: number) => async (n: number) => {
      for (let done = 0; done < n; done += batch) {
        const answered = r.responses(batch);
        for (let i = 0; i < batch; i++) r.router.onFrame(r.sessions[i % SESSIONS]!, placeFrame(encoder, id++, cid++));
        await answered;
      }
    };
    // The peer: the same orders straight into the exchange, 16 per turn, pumped.
    const ex = (r.gateway.o.exchange as unknown as InProcessGatewayExchange).inner;
    const cmd = RecordBuffer.allocate(1);
    let orderId = 1_000_000_000;
    const exchangeOnly = async (n: number) => {
      for (let done = 0; done < n; done += SESSIONS) {
        for (let i = 0; i < SESSIONS; i++) {
          const accountId = r.sessions[i]!.accountId;
          encodeRecord(cmd, 0, PlaceOrderLayout, { accountId, marketId: 1, timeUs: Date.now() * 1000 }, { orderId: orderId++, clientOrderId: cid++, priceTicks: 590_000, qtyLots: 1, triggerPriceTicks: 0, side: SIDES.buy, orderType: ORDER_TYPES.limit, timeInForce: TIME_IN_FORCE.ioc, stpMode: 0, triggerSource: 0, reduceOnly: 0, origin: OrderOrigin.USER });
          ex.submitRecord(cmd, 0);
        }
        ex.pump();
        // what reached the gateway's queue is dropped unread (poll with a no-op listener)
        (r.gateway.o.exchange as unknown as InProcessGatewayExchange).poll(() => {});
        await new Promise((res) => setImmediate(res));
      }
    };
    // Warm up every path, then measure in turn, twice, keeping each case's lower figure.
    const cases: [string, (n: number) => Promise<void>][] = [
      ['gateway-b1', gatewayBatch(1)],
      ['gateway-b16', gatewayBatch(SESSIONS)],
      ['exchange-only', exchangeOnly],
    ];
    for (const [, f] of cases) await f(Math.min(orders, 5_000));
    const best = new Map<string, { cpuUsPerOrder: number; gcPerKOrders: number; wallMs: number }>();
    for (let round = 0; round < 2; round++) {
      for (const [name, f] of cases) {
        const m = await measure(orders, f, gc);
        const b = best.get(name);
        if (b === undefined || m.cpuUsPerOrder < b.cpuUsPerOrder) best.set(name, m);
      }
    }
    gc.stop();
    await r.stop();
    const peer = best.get('exchange-only')!.cpuUsPerOrder;
    return cases.map(([name]): CaseResult => {
      const m = best.get(name)!;
      const us = m.cpuUsPerOrder;
      return { suite: SUITE, case: name, opsPerSec: Math.round(1e6 / us), p50Ns: Math.round(us * 1000), p99Ns: 0, samples: orders, cpuUsPerOrder: us, gcPerKOrders: m.gcPerKOrders, wallMs: m.wallMs, ...(name !== 'exchange-only' && { gatewayUsPerOrder: Math.round((us - peer) * 100) / 100 }) };
    });
  },
};

export default suite;
