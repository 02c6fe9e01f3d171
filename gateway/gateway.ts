// Gateway: the trader-facing front door, assembled. `new Gateway({ exchange, store }).listen(port)`
// opens the gateway's store (keys, accounts, idempotency results, deposit requests, audit, order history
// and fills, md's ticker minutes), starts the dispatch loop over the exchange's released records, and
// serves WebSocket clients.
//
//   client ──ws/msgpack──▶ WsServer ──▶ Router (decode, validate, rate-limit, auth) ──▶ handlers
//                                                                            │ offer (OrderEntry)
//                                                                            ▼
//                                                                    exchange (shards)
//   client ◀── res / user / md ◀── PendingAnswers, AccountViews, UserStreams ◀── Dispatcher.poll
//                                   (and md's hub, a listener like any other)
//
// Everything a client is told comes from records the exchange released, and a durable exchange releases
// only what is durable (exchange/threaded-exchange.ts): no acknowledgement runs ahead of the journal.
//
// After a restart the read models (and md's books) start from the shards' own state: open() asks every
// shard for it (exchange.shardStates(), once durable), loads it, and only then serves (views/restart-state.ts).

import { Code } from '../engine/codes.js';
import type { MarketConfig } from '../engine/market/spec.js';
import { AdvanceTimeLayout } from '../engine/ring/layouts/advance-time.js';
import { decodeRecord, encodeRecord } from '../engine/ring/layouts/index.js';
import { RecordBuffer } from '../engine/ring/record.js';
import type { GatewaySource } from '../exchange/in-process-exchange.js';
import type { ShardStates } from '../exchange/shard-states.js';
import type { Store } from '../persistence/store.js';
import { Authenticator } from './auth/authenticator.js';
import { KeyRegistry } from './auth/key-registry.js';
import { nowUs as clockUs } from './clock.js';
import { Dispatcher, type RecordListener } from './dispatch.js';
import { AccountHandlers } from './handlers/account-handlers.js';
import type { Handler } from './handlers/handler.js';
import { OrderHandlers } from './handlers/order-handlers.js';
import { QueryHandlers } from './handlers/query-handlers.js';
import { Router } from './handlers/router.js';
import { SessionHandlers } from './handlers/session-handlers.js';
import { DeadManSwitch } from './orders/dead-man-switch.js';
import { DepositRequests } from './orders/deposit-requests.js';
import type { GatewayExchange } from './orders/gateway-exchange.js';
import { IdAllocator } from './orders/id-allocator.js';
import { OrderEntry } from './orders/order-entry.js';
import { PendingAnswers } from './orders/pending-answers.js';
import { PlaceResults } from './orders/place-results.js';
import { StoreBatcher } from './orders/store-batcher.js';
import { FrameCodec, DEFAULT_DECODER_LIMITS, type DecoderLimits } from './protocol/codec.js';
import { REQUESTS } from './protocol/messages.js';
import { ChannelRegistry } from './server/channels.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './server/rate-limiter.js';
import type { Session } from './server/session.js';
import { DEFAULT_SERVER_LIMITS, WsServer, type ServerLimits } from './server/ws-server.js';
import { InFlight } from './server/in-flight.js';
import { AccountViews } from './views/account-views.js';
import { heldAccounts, loadViews } from './views/restart-state.js';
import { MarketRegistry, registryOf } from './markets/market-registry.js';
import { UserStreams } from './views/user-stream.js';
import { RecordType as RT } from '../engine/ring/types.js';

export interface GatewayOptions {
  readonly exchange: GatewayExchange;
  /** The gateway's own store (not the exchange's data directory: its journal writer owns that one). */
  readonly store: Store;
  /** Markets served: a shared registry that grows as markets are listed, or a fixed list (default: the exchange topology's). */
  readonly markets?: MarketRegistry | readonly MarketConfig[];
  /** First order/request id; after a restart Durability.gatewayCommands() + 1 (ids are never reused). */
  readonly firstId?: number;
  readonly limits?: Partial<ServerLimits>;
  readonly rateLimits?: RateLimits;
  readonly decoderLimits?: DecoderLimits;
  /** Open orders an account may hold across markets (default 1,000). */
  readonly maxOpenOrders?: number;
  /** Ended orders and fills kept per account for queries (default 1,000). */
  readonly historyCap?: number;
  /** User-stream frames kept per account for resume (default 1,024: about 200 KB for an active account). */
  readonly replayCap?: number;
  /** Send the exchange a timer tick (AdvanceTime) every this many ms; 0: someone else does (default 1,000). */
  readonly timerTickMs?: number;
  /** Sync each idempotency batch to disk (default false: survives a killed process, not a machine crash). */
  readonly idempotencySync?: boolean;
  /** The clock, µs (default gateway/clock.ts). */
  readonly nowUs?: () => number;
  /** Load the read models from the shards' state before serving, when the exchange gives it (default true). */
  readonly restoreState?: boolean;
  /** Called with every response: op, result code, receive and send time (µs): for latency metrics. */
  readonly onResponse?: (op: string, code: number, rxUs: number, txUs: number) => void;
}

/** Record types the gateway's own listener reads (the others are market data: md's). */
const OWN_TYPES: ReadonlySet<number> = new Set([
  RT.OrderAccepted, RT.OrderRejected, RT.TradeExecuted, RT.OrderCancelled, RT.OrderAmended, RT.OrderExpired, RT.OrderTriggered, RT.CommandApplied,
  RT.AccountUpdated, RT.PositionUpdated, RT.FillSettled, RT.LiquidationProgressed, RT.AdlExecuted, RT.MarginCallIssued,
]);

export class Gateway {
  readonly codec: FrameCodec;
  readonly channels = new ChannelRegistry();
  readonly views: AccountViews;
  readonly streams: UserStreams;
  readonly pending = new PendingAnswers();
  readonly dispatcher: Dispatcher;
  readonly markets: MarketRegistry;
  private readonly nowUs: () => number;
  private readonly limits: ServerLimits;
  /** Orders waiting for the exchange, per connection, account and in total (bounded: in-flight.ts). */
  private readonly inFlight: InFlight;
  private opened: Promise<void> | undefined;
  private server: WsServer | undefined;
  private router: Router | undefined;
  private entry: OrderEntry | undefined;
  private deadMan: DeadManSwitch | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly tickBuf = RecordBuffer.allocate(1);
  /** The shards' state the read models were loaded from (set by open() when the exchange gives it). */
  restored: ShardStates | undefined;
  /** True once open() is done: the read models are loaded and the dispatch loop runs. */
  ready = false;
  /** Set once open(): the API keys and accounts (operators create them; every change audited). */
  keys!: KeyRegistry;
  auth!: Authenticator;
  deposits!: DepositRequests;
  private ids!: IdAllocator;
  private batcher!: StoreBatcher;
  private readonly loaders: ((store: Store, batcher: StoreBatcher) => Promise<void>)[] = [];

  constructor(readonly o: GatewayOptions) {
    this.nowUs = o.nowUs ?? clockUs;
    this.codec = new FrameCodec(o.decoderLimits ?? DEFAULT_DECODER_LIMITS);
    this.markets = registryOf(o.markets ?? o.exchange.topology.markets());
    this.limits = { ...DEFAULT_SERVER_LIMITS, ...o.limits };
    this.inFlight = new InFlight(this.limits);
    this.views = new AccountViews(o.historyCap);
    this.streams = new UserStreams(this.nowUs(), this.codec, this.views, o.replayCap);
    this.dispatcher = new Dispatcher(o.exchange, () => this.afterPoll());
    // A restoring listener (dispatch.ts): loaded from the shards' state after a restart. Answers match
    // here too: open() serves nobody before the load, so no answer awaited is older than the state.
    this.dispatcher.add({ onRecord: (buf, at, from) => this.onRecord(buf, at, from), restore: (states) => loadViews(this.views, states) });
  }

  /**
   * True when open() loads the shards' state before it serves (a restart): restoring listeners then get
   * their state in restore(), and what they would publish before it is not the exchange's yet.
   */
  get restoresState(): boolean {
    return this.o.exchange.shardStates !== undefined && this.o.restoreState !== false;
  }

  /** Adds a listener of every released record (md's market-data hub); returns its removal. */
  addListener(l: RecordListener): () => void {
    return this.dispatcher.add(l);
  }

  /**
   * Runs `load` in open() with the gateway's store and write batcher, before the dispatch loop starts and
   * before the gateway is ready (md's ticker minutes). After open() it is too late (records already
   * flow): nothing runs and it returns false.
   */
  beforeServing(load: (store: Store, batcher: StoreBatcher) => Promise<void>): boolean {
    if (this.opened !== undefined) return false;
    this.loaders.push(load);
    return true;
  }

  private onRecord(buf: RecordBuffer, at: number, _from: GatewaySource): void {
    if (!OWN_TYPES.has(buf.type(at))) return;
    const r = decodeRecord(buf, at);
    this.pending.match(r);
    this.views.apply(r, this.streams);
  }

  private afterPoll(): void {
    if (this.o.exchange.halted) this.pending.failAll(Code.EXCHANGE_HALTED);
    else this.entry?.offerRetries();
  }

  /** Opens the store and starts the dispatch loop (listen() calls it; call it first to create keys). */
  open(): Promise<void> {
    this.opened ??= this.doOpen();
    return this.opened;
  }

  private async doOpen(): Promise<void> {
    const store = this.o.store;
    this.keys = await KeyRegistry.open(store, this.nowUs);
    this.auth = new Authenticator(this.keys, this.nowUs);
    this.batcher = new StoreBatcher(store, this.o.idempotencySync ?? false);
    // Before the dispatch loop starts: history entries and ticker minutes are stored from the first record.
    this.views.history.attach(store, this.batcher);
    for (const load of this.loaders) await load(store, this.batcher);
    const results = await PlaceResults.open(store, this.batcher);
    this.deposits = await DepositRequests.open(store, this.keys.audit, () => this.ids, this.nowUs);
    this.ids = new IdAllocator(Math.max(this.o.firstId ?? 1, results.maxOrderId() + 1, this.deposits.maxId() + 1));
    // Live: a market listed at run time is open to orders and subscriptions once the registry has it.
    const marketIds = this.markets.ids;
    const entry = (this.entry = new OrderEntry(this.o.exchange, this.ids, this.pending, this.nowUs, marketIds));
    const deadMan = (this.deadMan = new DeadManSwitch((a) => entry.cancelAllNow(a), this.nowUs));
    const orders = new OrderHandlers({ entry, results, views: this.views, maxOpenOrders: this.o.maxOpenOrders ?? 1_000 });
    const account = new AccountHandlers(entry, deadMan, this.deposits);
    const queries = new QueryHandlers(this.views, this.markets);
    const nowMs = () => Math.floor(performance.now());
    let router: Router | undefined;
    const session = new SessionHandlers(this.auth, this.streams, this.channels, marketIds, this.nowUs, (s, f) => router!.after(s, f));
    const handlers = new Map<string, Handler>([
      ['login', session.login],
      ['ping', session.ping],
      ['markets', queries.marketsList],
      ['subscribe', session.subscribe],
      ['unsubscribe', session.unsubscribe],
      ['place', orders.place],
      ['batchPlace', orders.batchPlace],
      ['cancel', orders.cancel],
      ['amend', orders.amend],
      ['cancelReplace', orders.cancelReplace],
      ['cancelAll', orders.cancelAll],
      ['cancelAllAfter', account.cancelAllAfter],
      ['setLeverage', account.setLeverage],
      ['setMarginMode', account.setMarginMode],
      ['adjustIsolatedMargin', account.adjustIsolatedMargin],
      ['withdraw', account.withdraw],
      ['depositRequest', account.depositRequest],
      ['openOrders', queries.openOrders],
      ['orderHistory', queries.orderHistory],
      ['fills', queries.fills],
      ['positions', queries.positions],
      ['balances', queries.balances],
    ]);
    for (const op of REQUESTS.keys()) if (!handlers.has(op)) throw new Error(`no handler for '${op}'`);
    router = this.router = new Router(this.codec, handlers, new RateLimiter(this.o.rateLimits ?? DEFAULT_RATE_LIMITS), this.auth, this.nowUs, nowMs, this.o.onResponse, this.inFlight);
    this.server = new WsServer(this.limits, {
      onOpen: () => {},
      onFrame: (s, f) => router.onFrame(s, f),
      onBadFrame: (s, code, message) => router.refuseFrame(s, code, message),
      onClose: (s) => this.closed(s, session),
    }, nowMs);
    // A key revoked, or this address taken off its allowlist, ends its open sessions at once (close
    // 4009 AUTH_FAILED): no more requests, and no more of the account's user stream.
    const server = this.server;
    this.keys.onChange = (k) =>
      server.closeWhere((s) => s.key?.keyId === k.keyId && (k.revoked || (k.ipAllowlist.length > 0 && !k.ipAllowlist.includes(s.ip))), Code.AUTH_FAILED);
    const ex = this.o.exchange;
    if (this.restoresState) {
      // The loop runs meanwhile (a shard blocked on a full gateway ring could not answer); what it
      // polls waits aside until the state is in.
      this.dispatcher.beginRestore();
      this.dispatcher.start();
      const states = await ex.shardStates!();
      this.dispatcher.finishRestore(states);
      this.restored = states;
      // Every account the shards hold is known, even one this store never saw (a directory perpx-restore
      // wrote has no gateway store): keys can be made for it, and new accounts are numbered past it.
      this.keys.knowHeldAccounts(heldAccounts(states));
    } else this.dispatcher.start();
    const tickMs = this.o.timerTickMs ?? 1_000;
    if (tickMs > 0) this.ticker = setInterval(() => this.tick(), tickMs);
    this.sweeper = setInterval(() => router.sweep(), 60_000);
    this.sweeper.unref();
    this.ready = true;
  }

  private closed(s: Session, session: SessionHandlers): void {
    session.dropSubscriptions(s);
    if (s.cancelOnDisconnect && s.key !== undefined) this.entry!.cancelAllNow(s.key.accountId);
  }

  /** The gateway's timer tick: time moves in every shard (funding, premium samples) even when idle. */
  private tick(): void {
    encodeRecord(this.tickBuf, 0, AdvanceTimeLayout, { timeUs: this.nowUs() }, {});
    // A tick the exchange cannot take now is simply skipped: the next one carries a later time.
    if (this.o.exchange.offer(this.tickBuf, 0)) this.o.exchange.flush();
  }

  /** The next order/request id this gateway would assign (a successor gateway starts there or later). */
  get nextId(): number {
    return this.ids.peek;
  }

  /** Opens (if not yet) and listens; resolves with the port (0 picks a free one). */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await this.open();
    return this.server!.listen(port, host);
  }

  /** An operator credits a trader's deposit request (audited). */
  creditDeposit(by: string, requestId: number) {
    return this.deposits.credit(by, requestId, (a, amount, id) => this.entry!.deposit(a, amount, id));
  }

  /**
   * An operator credits an account directly (custody saw the funds arrive): the engine's Deposit with
   * the OPERATOR flag, audited with its outcome. Resolves with the engine's answer.
   */
  async operatorDeposit(by: string, accountId: number, amountAtoms: bigint) {
    await this.open();
    const a = await this.entry!.deposit(accountId, amountAtoms);
    await this.keys.audit.commit([], { atUs: this.nowUs(), by, action: 'deposit', accountId, detail: { amount: amountAtoms.toString(), outcome: a.ok ? 'credited' : 'refused', code: a.ok ? Code.OK : a.code } });
    return a;
  }

  /**
   * Resolves once every store write the gateway queued is in its store: history entries of records the
   * exchange's stop() drained included. Call after exchange.stop(), before closing the store.
   */
  async written(): Promise<void> {
    await this.views.history.written();
    await this.batcher?.settled();
  }

  /** Counters for metrics (ops turns them into Prometheus series). */
  get stats() {
    const srv = this.server?.stats;
    return {
      connections: srv?.connections ?? 0,
      acceptedConnections: srv?.accepted ?? 0,
      refusedConnections: srv?.refusedConnections ?? 0,
      slowConsumers: srv?.slowConsumers ?? 0,
      idleClosed: srv?.idleClosed ?? 0,
      framesIn: srv?.framesIn ?? 0,
      readPauses: srv?.readPauses ?? 0,
      requests: this.router?.stats.requests ?? 0,
      requestsByOp: new Map(this.router?.stats.byOp ?? []),
      refusedByCode: new Map(this.router?.stats.refused ?? []),
      authRefusedByCode: new Map(this.auth?.refused ?? []),
      commandsOffered: this.entry?.stats.offered ?? 0,
      backPressure: this.entry?.stats.backPressure ?? 0,
      gatewayCommandsWaiting: this.entry?.stats.retrying ?? 0,
      pendingAnswers: this.pending.size,
      ordersInFlight: this.inFlight.total,
      refusedInFlight: this.inFlight.refused,
      userFramesOut: this.streams.framesOut,
      recordsDispatched: this.dispatcher.records,
      storeBatches: this.batcher?.batches ?? 0,
      storeOps: this.batcher?.opsWritten ?? 0,
      deadManFired: this.deadMan?.fired ?? 0,
    };
  }

  /**
   * Stops serving: closes every connection and the listener, stops the timers and the dispatch loop. The
   * exchange is the caller's to stop (pass `dispatcher.listener` to its stop() so the last records still
   * reach every listener).
   */
  async close(): Promise<void> {
    clearInterval(this.ticker);
    clearInterval(this.sweeper);
    this.deadMan?.stop();
    await this.server?.close();
    await this.dispatcher.stop();
  }
}
