// Listing a market at run time for POST /operator/markets (docs/OPERATOR.md, "Creating a market"): the
// checked body (listing-request.ts) becomes a ListMarket group (engine/ring/layouts/list-market.ts),
// offered to every risk shard at once (ThreadedExchange.offerListing: all or nothing, so a refused offer
// left nothing half-way), and the call waits for every shard that must know the market to say so: each
// risk shard's MarketListed and the owning market shard's. The exchange releases an answer only once the
// input it answers is durable (threaded-exchange.ts), so with every answer in, the listing is journaled
// on every shard that took it. Only then does the gateway's registry (markets/market-registry.ts) add
// the market, and with it the market data channels, the `markets` query, order entry and index sources.
//
// One listing at a time: a second call waits for the first to finish, then finds its symbol taken (409
// MARKET_EXISTS), so of two calls for one symbol exactly one lists it. A call whose answers do not all
// come within the timeout is answered 504 OPERATOR_TIMEOUT (outcome unknown), and its listing stays
// reserved: its id and symbol are refused to other calls, and the answers, when they come, still add the
// market. A refusal by a shard (OrderRejected for ListMarket, request id in orderId) is the call's answer.
// close() (shutdown) settles every waiting call at once.

import { Code } from '../../engine/codes.js';
import { encodeListing, MAX_MARKETS } from '../../engine/market/listing.js';
import type { MarketSpec } from '../../engine/market/spec.js';
import { MarketListedLayout } from '../../engine/ring/layouts/market-listed.js';
import { ListedBy } from '../../engine/ring/layouts/market-listed.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { listingParts, writeListingPart } from '../../engine/shard/listing-assembly.js';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import type { MarketRegistry } from '../markets/market-registry.js';
import { listingFromRequest, marketShardForListing } from './listing-request.js';
import { OPERATOR_REQUEST_BASE } from './operator-commands.js';

const ML = MarketListedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;

/**
 * Listings' request ids: above the other operator commands' (OPERATOR_REQUEST_BASE + a custody id or a
 * counter, operator-commands.ts), below 2^53. Shards do not key listings by request id (a repeat is
 * known by its bytes); the id only matches answers to the call.
 */
const LISTING_REQUEST_BASE = OPERATOR_REQUEST_BASE + 2 ** 51;

/** What listing needs of the exchange. */
export type ListingExchange = Pick<ThreadedExchange, 'offerListing' | 'flush' | 'halted' | 'failure' | 'journalFailure'> & {
  readonly topology: { readonly marketShards: number; readonly riskShards: number; marketShardOf(marketId: number): number };
};

export type ListingOutcome =
  | { readonly ok: true; readonly spec: MarketSpec; readonly shard: number }
  | { readonly ok: false; readonly status: number; readonly code: number; readonly message: string; readonly field?: string };

interface Waiting {
  readonly spec: MarketSpec;
  readonly shard: number;
  /** Answers still awaited: "risk:r" for every risk shard, "market:s" for the owner. */
  readonly awaited: Set<string>;
  resolve: (o: ListingOutcome) => void;
  timer: NodeJS.Timeout | undefined;
}

export interface MarketListingsOptions {
  /** The exchange once it runs (undefined while it starts). */
  readonly exchange: () => ListingExchange | undefined;
  readonly markets: MarketRegistry;
  readonly nowUs: () => number;
  /** How long a call waits for every answer (default 5 s, as other operator commands). */
  readonly timeoutMs?: number;
  /** A market every shard has listed (open: a listing carries no halt), before its call is answered. */
  readonly onListed?: (marketId: number) => void;
}

/** Why an offer was not taken: the exchange halted (a shard or the journal failed), is stopping, or is busy. */
function notTaken(x: ListingExchange): ListingOutcome {
  if (x.failure !== undefined || x.journalFailure !== undefined) return { ok: false, status: 503, code: Code.SHARD_FAILED, message: 'the exchange has halted; nothing was listed' };
  if (x.halted) return { ok: false, status: 503, code: Code.OPERATOR_UNAVAILABLE, message: 'the exchange is stopping; nothing was listed' };
  return { ok: false, status: 503, code: Code.BACK_PRESSURE, message: 'the exchange is busy; nothing was listed: retry' };
}

/** The HTTP status of a shard's refusal of a listing. */
function statusOfRefusal(code: number): number {
  if (code === Code.MARKET_EXISTS || code === Code.TOO_MANY_MARKETS) return 409;
  if (code === Code.SHARD_FAILED) return 503;
  return 422;
}

export class MarketListings {
  /** Listings offered and not yet answered in full or refused, by request id. */
  private readonly waiting = new Map<number, Waiting>();
  private nextRequestId = 1;
  /** The call before this one: calls run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly o: MarketListingsOptions) {}

  /** Lists the market a request body describes; resolves with the listed market or the refusal. */
  create(body: unknown): Promise<ListingOutcome> {
    const run = this.queue.then(() => this.createNow(body));
    this.queue = run.catch(() => {});
    return run;
  }

  private async createNow(body: unknown): Promise<ListingOutcome> {
    const x = this.o.exchange();
    if (this.closed) return { ok: false, status: 503, code: Code.OPERATOR_UNAVAILABLE, message: 'the exchange is stopping' };
    if (x === undefined) return { ok: false, status: 409, code: Code.OPERATOR_UNAVAILABLE, message: 'the exchange is starting: send the call again once /readyz says ready' };
    // Markets reserved by listings still unanswered count as held: their ids and symbols are taken.
    const reserved = [...this.waiting.values()];
    const held = [...this.o.markets.list(), ...reserved.map((w) => w.spec)];
    const r = listingFromRequest(body, held);
    if (!r.ok) return { ok: false, status: r.status, code: r.status === 409 ? Code.MARKET_EXISTS : Code.OPERATOR_BAD_REQUEST, field: r.field, message: `${r.field} ${r.message}` };
    if (held.length >= MAX_MARKETS) return { ok: false, status: 409, code: Code.TOO_MANY_MARKETS, message: `the exchange holds ${held.length} markets, the most it can` };
    if (x.halted) return notTaken(x);
    const t = x.topology;
    const perShard = Array.from({ length: t.marketShards }, () => 0);
    for (const m of this.o.markets.list()) {
      const s = t.marketShardOf(m.marketId);
      if (s >= 0) perShard[s]!++;
    }
    for (const w of reserved) perShard[w.shard]!++;
    const shard = marketShardForListing(perShard);
    const bytes = encodeListing(r.listing);
    const requestId = LISTING_REQUEST_BASE + this.nextRequestId++;
    const parts = listingParts(bytes.length);
    const buf = RecordBuffer.allocate(parts);
    const header = { timeUs: this.o.nowUs(), marketId: r.spec.marketId, flags: HeaderFlag.OPERATOR, requestId, shard };
    for (let i = 0; i < parts; i++) writeListingPart(buf, buf.at(i), header, bytes, i);
    // All or nothing: refused, no shard took any part of it.
    if (!x.offerListing(buf, 0, parts)) return notTaken(x);
    x.flush();
    const awaited = new Set([...Array.from({ length: t.riskShards }, (_, i) => `risk:${i}`), `market:${shard}`]);
    return new Promise((resolve) => {
      const w: Waiting = { spec: r.spec, shard, awaited, resolve, timer: undefined };
      w.timer = setTimeout(() => {
        // Still reserved: its answers may come, and then list it.
        w.resolve = () => {};
        w.timer = undefined;
        resolve({ ok: false, status: 504, code: Code.OPERATOR_TIMEOUT, message: `not every shard answered within ${this.o.timeoutMs ?? 5_000} ms; the outcome is unknown: GET /operator/markets shows the market once it is listed` });
      }, this.o.timeoutMs ?? 5_000);
      this.waiting.set(requestId, w);
    });
  }

  /** A poll() tap: counts the answers of the listings waiting, and settles each once complete or refused. */
  readonly listener = (buf: RecordBuffer, at: number): void => {
    const type = buf.type(at);
    if (type === RecordType.MarketListed) {
      const requestId = buf.u53At(at, ML.requestId);
      const w = this.waiting.get(requestId);
      if (w === undefined) return;
      const by = buf.u8At(at, ML.by) === ListedBy.RISK_SHARD ? 'risk' : 'market';
      w.awaited.delete(`${by}:${buf.u16At(at, ML.byShard)}`);
      if (w.awaited.size > 0) return;
      this.waiting.delete(requestId);
      clearTimeout(w.timer);
      this.o.markets.add(w.spec);
      this.o.onListed?.(w.spec.marketId);
      w.resolve({ ok: true, spec: w.spec, shard: w.shard });
    } else if (type === RecordType.OrderRejected && buf.u16At(at, REJ.commandType) === RecordType.ListMarket) {
      const requestId = buf.u53At(at, REJ.orderId);
      const w = this.waiting.get(requestId);
      if (w === undefined) return;
      this.waiting.delete(requestId);
      clearTimeout(w.timer);
      const code = buf.u16At(at, REJ.code);
      w.resolve({ ok: false, status: statusOfRefusal(code), code, message: 'refused by the exchange' });
    }
  };

  /** Listings waiting for answers (tests, metrics). */
  get inFlight(): number {
    return this.waiting.size;
  }

  /** Shutdown: every waiting call is answered now (the outcome is unknown), and no more are taken. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.resolve({ ok: false, status: 504, code: Code.OPERATOR_TIMEOUT, message: 'the exchange is stopping; the outcome is unknown: GET /operator/markets after the restart shows the market if it was listed' });
      w.resolve = () => {};
    }
  }
}
