// A real exchange on worker threads (one market shard with BTC-PERP, one risk shard) behind a real
// Gateway on a loopback port, with a MemoryStore (or a given store): what the gateway end-to-end tests
// drive with real WebSocket clients (gateway/client/).

import { after, before } from 'node:test';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { UpdateIndexPriceLayout } from '../../../engine/ring/layouts/update-index-price.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { ThreadedExchange } from '../../../exchange/threaded-exchange.js';
import { Topology } from '../../../exchange/topology.js';
import { Durability } from '../../../exchange/durability.js';
import type { ThreadedSurveillance } from '../../../exchange/surveillance/surveillance-group.js';
import { riskMarket } from '../../../risk/shard/config.js';
import { nowUs } from '../../../gateway/clock.js';
import { Gateway, type GatewayOptions } from '../../../gateway/gateway.js';
import type { MarketDataHub } from '../../../gateway/market-data/hub.js';
import { mountMarketData } from '../../../gateway/market-data/ws-channels.js';
import { PerpxClient, type ClientOptions } from '../../../gateway/client/client.js';
import { generateEd25519 } from '../../../gateway/client/keys.js';
import { GatewayError, type ApiCredentials, type LoginResult } from '../../../gateway/client/types.js';
import type { Scope } from '../../../gateway/protocol/messages.js';
import { MemoryStore } from '../../../persistence/memory-store.js';
import type { Store } from '../../../persistence/store.js';

const BTC = DEFAULT_MARKETS[0]!;
export const USDT = 1_000_000n;
export const MID = 600_000;

export interface Harness {
  exchange: ThreadedExchange;
  gateway: Gateway;
  /** md's hub, when started with `marketData` (mounted before the gateway opens, so it is restored after a restart). */
  hub: MarketDataHub | undefined;
  store: Store;
  url: string;
  /** A new account with a key of these scopes, funded with `usdt`, and a logged-in client. */
  trader(o?: { scopes?: Scope[]; usdt?: bigint; signOrders?: boolean; alg?: 'ed25519' | 'hmac-sha256'; cancelOnDisconnect?: boolean; client?: ClientOptions }): Promise<Trader>;
  /** An index tick at `priceTicks`; resolves when the risk shard holds the mark. */
  mark(priceTicks: number): Promise<void>;
  /** Replaces the gateway with a new one over the same store and exchange (a gateway restart). */
  restartGateway(): Promise<Gateway>;
  stop(): Promise<void>;
}

export interface Trader {
  accountId: number;
  creds: ApiCredentials;
  client: PerpxClient;
  login: LoginResult;
}

const TOPOLOGY = new Topology({ marketShards: [[BTC]], riskShards: 1 });
const RISK_MARKETS = [riskMarket(BTC)];

/** Durability over `dir` for the harness's topology (recovers what the directory holds). */
export function durableAt(dir: string, o: { maxLagRecords?: number } = {}): Promise<Durability> {
  return Durability.open({ dir, log: () => {}, ...o }, TOPOLOGY, { topology: TOPOLOGY.config, riskMarkets: RISK_MARKETS });
}

export async function startHarness(
  o: { gateway?: Partial<GatewayOptions>; store?: Store; durability?: Durability; marketData?: boolean | ((hub: MarketDataHub) => Promise<void>); surveillance?: ThreadedSurveillance } = {},
): Promise<Harness> {
  const topology = TOPOLOGY;
  const exchange = await ThreadedExchange.start({ topology, riskMarkets: RISK_MARKETS, ringCapacity: 1024, durability: o.durability, surveillance: o.surveillance });
  const store = o.store ?? new MemoryStore();
  const gateway = new Gateway({ exchange, store, timerTickMs: 0, firstId: 1 + (o.durability?.gatewayCommands() ?? 0), ...o.gateway });
  const hub = o.marketData ? mountMarketData(gateway) : undefined;
  // As npm start does: whatever feeds on the hub (the MQTT bus) starts before the gateway opens.
  if (hub && typeof o.marketData === 'function') await o.marketData(hub);
  const port = await gateway.listen(0);
  const url = `ws://127.0.0.1:${port}`;
  const clients: PerpxClient[] = [];
  const buf = RecordBuffer.allocate(1);
  const h: Harness = {
    exchange,
    gateway,
    hub,
    store,
    url,
    async trader(t = {}) {
      const gateway = h.gateway;
      const accountId = await gateway.keys.createAccount('test');
      const alg = t.alg ?? 'ed25519';
      let creds: ApiCredentials;
      if (alg === 'ed25519') {
        const pair = generateEd25519();
        const { keyId } = await gateway.keys.createKey('test', { accountId, alg, publicKey: pair.publicKey, scopes: t.scopes ?? ['read', 'trade'], signOrders: t.signOrders });
        creds = { keyId, alg, secret: pair.seed, signOrders: t.signOrders };
      } else {
        const { keyId, secret } = await gateway.keys.createKey('test', { accountId, alg, scopes: t.scopes ?? ['read', 'trade'], signOrders: t.signOrders });
        creds = { keyId, alg, secret: secret!, signOrders: t.signOrders };
      }
      if ((t.usdt ?? 1_000_000n) > 0n) {
        const a = await gateway.operatorDeposit('test', accountId, (t.usdt ?? 1_000_000n) * USDT);
        if (!a.ok) throw new Error(`deposit refused: ${a.code}`);
      }
      const client = await PerpxClient.connect(h.url, t.client);
      clients.push(client);
      const login = await client.login(creds, { cancelOnDisconnect: t.cancelOnDisconnect });
      return { accountId, creds, client, login };
    },
    async mark(priceTicks) {
      encodeRecord(buf, 0, UpdateIndexPriceLayout, { marketId: BTC.marketId, timeUs: nowUs() }, { indexPriceTicks: priceTicks, sourcesUsed: 3, stale: 0 });
      if (!exchange.offer(buf, 0)) throw new Error('index tick refused');
      exchange.flush();
      for (;;) {
        const snaps = await exchange.scanSnapshots();
        if (snaps.every((s) => s.markets.some((m) => m.marketId === BTC.marketId && m.markTicks > 0n))) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async restartGateway() {
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
      const old = h.gateway;
      await old.close();
      await old.written();
      h.gateway = new Gateway({ exchange, store, timerTickMs: 0, ...o.gateway, firstId: old.nextId });
      h.url = `ws://127.0.0.1:${await h.gateway.listen(0)}`;
      return h.gateway;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await h.gateway.close();
      await exchange.stop(h.gateway.dispatcher.listener);
      await h.gateway.written();
      await store.close();
    },
  };
  return h;
}

/** Waits until `cond()` holds, checking after every event-loop turn that gave the event loop a chance. */
export async function until(cond: () => boolean, what: string, limit = 20_000): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`never happened: ${what}`);
}

/**
 * One harness for a whole test file: started (with a mark at MID and `traders` funded traders) before the
 * file's tests, stopped after them; `ready` gets the traders. Read `ctx.h` inside tests.
 */
export function harnessPerFile(traders: number, ready: (traders: Trader[]) => void = () => {}, o: Parameters<typeof startHarness>[0] = {}): { h: Harness; traders: Trader[] } {
  const ctx = { h: undefined as unknown as Harness, traders: [] as Trader[] };
  // One hook: Node 20 does not wait for one root-level before hook to finish before starting the next.
  before(async () => {
    ctx.h = await startHarness(o);
    await ctx.h.mark(MID);
    for (let i = 0; i < traders; i++) ctx.traders.push(await ctx.h.trader());
    ready(ctx.traders);
  });
  after(() => ctx.h.stop());
  return ctx;
}

/** The code a client call was refused with (a GatewayError), 0 when it was answered; anything else is thrown on. */
export async function refusal(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GatewayError) return e.code;
    throw e;
  }
  return 0;
}
