// A real exchange on worker threads (one market shard with BTC-PERP, one risk shard) behind a real
// Gateway on a loopback port, with a MemoryStore (or a given store): what the gateway end-to-end tests
// drive with real WebSocket clients (gateway/client/).

import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { UpdateIndexPriceLayout } from '../../../engine/ring/layouts/update-index-price.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { ThreadedExchange } from '../../../exchange/threaded-exchange.js';
import { Topology } from '../../../exchange/topology.js';
import type { Durability } from '../../../exchange/durability.js';
import { riskMarket } from '../../../risk/shard/config.js';
import { nowUs } from '../../../gateway/clock.js';
import { Gateway, type GatewayOptions } from '../../../gateway/gateway.js';
import { PerpxClient } from '../../../gateway/client/client.js';
import { generateEd25519 } from '../../../gateway/client/keys.js';
import type { ApiCredentials, LoginResult } from '../../../gateway/client/types.js';
import type { Scope } from '../../../gateway/protocol/messages.js';
import { MemoryStore } from '../../../persistence/memory-store.js';
import type { Store } from '../../../persistence/store.js';

export const BTC = DEFAULT_MARKETS[0]!;
export const USDT = 1_000_000n;
export const MID = 600_000;

export interface Harness {
  exchange: ThreadedExchange;
  gateway: Gateway;
  store: Store;
  url: string;
  /** A new account with a key of these scopes, funded with `usdt`, and a logged-in client. */
  trader(o?: { scopes?: Scope[]; usdt?: bigint; signOrders?: boolean; alg?: 'ed25519' | 'hmac-sha256'; cancelOnDisconnect?: boolean }): Promise<Trader>;
  /** An index tick at `priceTicks`; resolves when the risk shard holds the mark. */
  mark(priceTicks: number): Promise<void>;
  stop(): Promise<void>;
}

export interface Trader {
  accountId: number;
  creds: ApiCredentials;
  client: PerpxClient;
  login: LoginResult;
}

export async function startHarness(o: { gateway?: Partial<GatewayOptions>; store?: Store; durability?: Durability } = {}): Promise<Harness> {
  const topology = new Topology({ marketShards: [[BTC]], riskShards: 1 });
  const exchange = await ThreadedExchange.start({ topology, riskMarkets: [riskMarket(BTC)], ringCapacity: 1024, durability: o.durability });
  const store = o.store ?? new MemoryStore();
  const gateway = new Gateway({ exchange, store, timerTickMs: 0, ...o.gateway });
  const port = await gateway.listen(0);
  const url = `ws://127.0.0.1:${port}`;
  const clients: PerpxClient[] = [];
  const buf = RecordBuffer.allocate(1);
  const h: Harness = {
    exchange,
    gateway,
    store,
    url,
    async trader(t = {}) {
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
      const client = await PerpxClient.connect(url);
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
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await gateway.close();
      await exchange.stop(gateway.dispatcher.listener);
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
