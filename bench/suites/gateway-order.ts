// gateway-order: the gateway's whole per-order path on one thread, as CPU per order over a fixed count:
// frame in (decode with limits, schema, rate limits, login and scope checks), the idempotency reservation
// and result (batched store writes), the command into the exchange, its events back through the dispatch
// loop (answer matching, read models, two user-stream frames), and the `res` frame out. The orders come
// from the client SDK (gateway/client/client.ts, with the load generator's options: its user-stream
// frames dropped unread) over a stand-in socket that hands each frame straight to the other side, and the
// exchange is the in-process one (bench/lib/in-process-gateway-exchange.ts), so the figure is JavaScript
// and allocation, not syscalls or thread hops: process.cpuUsage() over N orders, robust on a loaded
// machine (a neighbour stretches wall time, not the CPU an order costs).
//
//   case gateway-b1     one order at a time (each order alone in its turn: the low-rate path)
//   case gateway-b16    16 orders per turn over 16 sessions (what a busy gateway sees: one flush, one
//                       idempotency batch and one dispatch poll serve them all)
//   case exchange-only  the peer in the same run: the same orders submitted to the in-process exchange
//                       directly and pumped, 16 per turn
//   case client-only    the client's own side, 16 per turn: encode and send each order, pass over two
//                       user-stream frames, decode its answer (a gateway's frame with the id written in)
//
// Each case reports cpuUsPerOrder (user + system), gcPerKOrders (collections per 1,000 orders: an
// allocation figure), and gatewayUsPerOrder (the case's CPU minus exchange-only's and client-only's: what
// the gateway adds). The flow is the load
// generator's: IOC bids under an empty book with a client order id (accepted, then expired: two events).

import { PerformanceObserver } from 'node:perf_hooks';
import { EventEmitter } from 'node:events';
import { encode } from '@msgpack/msgpack';
import type { WebSocket } from 'ws';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { OrderOrigin } from '../../engine/enums.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { PerpxClient, type ClientOptions, type ClientSocket } from '../../gateway/client/client.js';
import { generateEd25519 } from '../../gateway/client/keys.js';
import { Gateway } from '../../gateway/gateway.js';
import type { Router } from '../../gateway/handlers/router.js';
import { writeOkResponse } from '../../gateway/handlers/response-frame.js';
import { FrameWriter } from '../../gateway/protocol/frame-writer.js';
import { ORDER_TYPES, SIDES, TIME_IN_FORCE } from '../../gateway/protocol/order-fields.js';
import { Session } from '../../gateway/server/session.js';
import { MemoryStore } from '../../persistence/memory-store.js';
import { riskMarket } from '../../risk/shard/config.js';
import type { CaseResult, Suite } from '../harness.js';
import { InProcessGatewayExchange } from '../lib/in-process-gateway-exchange.js';
import { leadingId } from '../loadgen/echo-answer.js';

const SUITE = 'gateway-order';
const SESSIONS = 16;

/** The load generator's client options (bench/loadgen/client-connection.ts) that apply without a real socket. */
const CLIENT: ClientOptions = { skipUnheard: true };

/**
 * The client's side of a connection without a socket: what the client sends goes to `deliver` at once,
 * and the other side's frames come to the client by message().
 */
class StandInSocket extends EventEmitter implements ClientSocket {
  constructor(private readonly deliver: (frame: Uint8Array) => void) {
    super();
  }
  send(data: Uint8Array | string): void {
    this.deliver(typeof data === 'string' ? Buffer.from(data) : data);
  }
  message(frame: Uint8Array): void {
    this.emit('message', frame);
  }
  close(code: number): void {
    this.emit('close', code, Buffer.alloc(0));
  }
  terminate(): void {
    this.close(1006);
  }
}

/** A gateway session and a client at the two ends of a stand-in socket: the router reads what the client sends. */
function connected(id: number, router: Router): { session: Session; client: PerpxClient } {
  const socket = new StandInSocket((f) => router.onFrame(session, f));
  const ws = {
    bufferedAmount: 0,
    send: (f: Uint8Array) => socket.message(f),
    terminate() {},
    close() {},
    ping() {},
  };
  const session = new Session(id, '127.0.0.1', ws as unknown as WebSocket, 1 << 30, 0, () => {});
  return { session, client: PerpxClient.over(socket, CLIENT) };
}

interface Rig {
  gateway: Gateway;
  router: Router;
  sessions: Session[];
  clients: PerpxClient[];
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
  const sessions: Session[] = [];
  const clients: PerpxClient[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const accountId = await gateway.keys.createAccount('bench');
    const pair = generateEd25519();
    const { keyId } = await gateway.keys.createKey('bench', { accountId, alg: 'ed25519', publicKey: pair.publicKey, scopes: ['read', 'trade'] });
    const a = await gateway.operatorDeposit('bench', accountId, 1_000_000n * 1_000_000n);
    if (!a.ok) throw new Error(`deposit refused: ${a.code}`);
    const { session, client } = connected(i + 1, router);
    await client.login({ keyId, alg: 'ed25519', secret: pair.seed });
    sessions.push(session);
    clients.push(client);
  }
  return { gateway, router, sessions, clients, stop: () => gateway.close() };
}

/** The load generator's order: an IOC bid under the market in an empty book (accepted, then expired). */
const order = (cid: number) => ({ market: 1, side: 'buy', type: 'limit', tif: 'ioc', price: 590_000, qty: 1, clientOrderId: cid });

/** Calls `then` once `n` more answers have come. */
function countdown(n: number, then: () => void): () => void {
  let left = n;
  return () => {
    if (--left === 0) then();
  };
}

/**
 * The client-only case's other side: answers each request at once with two user-stream frames (which the
 * client passes over unread) and a place's `res` frame as the gateway writes it, the request's id written
 * into a uint32 slot (the rest of the frame fixed, made once).
 */
function answeringSocket(): StandInSocket {
  const now = Date.now() * 1000;
  const ID_SLOT = 0x8000_0000;
  const res = Buffer.from(writeOkResponse(new FrameWriter(), ID_SLOT, now, now + 40, 999_999_000, { orderId: 5_000_000, clientOrderId: 1_000_000_000, market: 1, price: 590_000, qty: 1, trigger: 0, acceptedUs: now + 20, replayed: false }));
  const idAt = res.indexOf(Buffer.from([0xa2, 0x69, 0x64, 0xce, 0x80, 0, 0, 0])) + 4;
  const user = encode({ t: 'user', epoch: 1, seq: 1, kind: 'order', orderId: 5_000_000, clientOrderId: 1_000_000_000, market: 1, side: 'buy', type: 'limit', tif: 'ioc', price: 590_000, qty: 1, remaining: 0, status: 'expired', trigger: 0, reduceOnly: false, updatedUs: now, createdUs: now });
  const socket: StandInSocket = new StandInSocket((f) => {
    const id = leadingId(f) ?? 0;
    socket.message(user);
    socket.message(user);
    res.writeUInt32BE(id, idAt);
    socket.message(res);
  });
  return socket;
}


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
    const gc = gcCounter();
    const r = await rig();
    let cid = 1;
    /** `batch` orders per turn over the sessions, through their clients, until `n` are answered. */
    const through = (clients: readonly PerpxClient[], batch: number) => async (n: number) => {
      for (let done = 0; done < n; done += batch) {
        await new Promise<void>((answered) => {
          const one = countdown(batch, answered);
          for (let i = 0; i < batch; i++) clients[i % clients.length]!.send('place', order(cid++), one);
        });
      }
    };
    const gatewayBatch = (batch: number) => through(r.clients, batch);
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
      ['client-only', through(Array.from({ length: SESSIONS }, () => PerpxClient.over(answeringSocket(), CLIENT)), SESSIONS)],
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
    const peer = best.get('exchange-only')!.cpuUsPerOrder + best.get('client-only')!.cpuUsPerOrder;
    return cases.map(([name]): CaseResult => {
      const m = best.get(name)!;
      const us = m.cpuUsPerOrder;
      return { suite: SUITE, case: name, opsPerSec: Math.round(1e6 / us), p50Ns: Math.round(us * 1000), p99Ns: 0, samples: orders, cpuUsPerOrder: us, gcPerKOrders: m.gcPerKOrders, wallMs: m.wallMs, ...(name.startsWith('gateway') && { gatewayUsPerOrder: Math.round((us - peer) * 100) / 100 }) };
    });
  },
};

export default suite;
