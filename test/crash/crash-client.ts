// The crash harness's client: the accounts' WebSocket sessions (gateway/client/, the TypeScript SDK) and
// the operator's HTTP calls, and its record of every acknowledgement it got. It knows the exchange only
// as a client does; crash-harness.ts checks its record against the journals once the run is over.
//
// After every restart, before any retry, reconcile() compares the record with what the restarted exchange
// shows through the gateway:
//   - each account's user stream resumes from the last sequence the client saw (a snapshot after a
//     restart: the stream's epoch is the gateway's start);
//   - open orders: no client order id twice, each under the order id it was acknowledged with, none the
//     client saw cancelled; an order whose last amendment was acknowledged shows it;
//   - order status by client order id: the last ten orders of each account acknowledged since the last
//     reconciliation and no longer open are answered by the gateway's idempotent replay under the same
//     order id (nothing placed);
//   - the cash account's wallet (deposits and withdrawals only) is what was acknowledged, give or take
//     some of what was in flight (deposits credited, withdrawals debited, each at most once); at the end,
//     with everything answered, exactly what was acknowledged: a withdrawal applied twice shows there.
// Then retry() sends every unacknowledged operation again with the same ids (client order ids, custody
// request ids, withdrawal ids): the gateway answers a repeat with the first one's result.

import { Code } from '../../engine/codes.js';
import { MarketSpec, DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { PerpxClient } from '../../gateway/client/client.js';
import { generateEd25519 } from '../../gateway/client/keys.js';
import type { OrderInfo, Response } from '../../gateway/client/types.js';
import { OPERATOR_REQUEST_BASE } from '../../gateway/operator/operator-commands.js';
import { ACCOUNTS, ATOMS_PER_USDT, CASH, type Op } from './crash-ops.js';
import type { Endpoints } from './exchange-process.js';

/** An answer the client got: the result code, and the exchange's id of what was applied. */
export interface Ack {
  readonly code: number;
  /** A placed order's id, or the engine request id of a deposit, withdrawal or leverage change. */
  readonly engineId?: number;
  /** The cycle it was answered in. */
  readonly cycle: number;
  /** When it came, in the client's count of sends and answers. */
  readonly at: number;
}

interface Account {
  accountId: number;
  keyId: string;
  secret: Uint8Array;
  client?: PerpxClient;
  position?: { epoch: number; seq: number };
}

export interface ReconcileFigures {
  /** Acknowledged operations the restarted exchange does not show (or shows otherwise). */
  lost: number;
  /** Client order ids with two orders. */
  twice: number;
  /** Acknowledged operations looked at. */
  checked: number;
  problems: string[];
}

/** Orders per account whose status by client order id each reconciliation asks for. */
const STATUS_CHECKS = 10;
const SPECS = new Map(DEFAULT_MARKETS.map((m) => [m.symbol, new MarketSpec(m)]));
const USDT = (atoms: bigint): string => {
  const a = atoms < 0n ? -atoms : atoms;
  return `${atoms < 0n ? '-' : ''}${a / ATOMS_PER_USDT}.${String(a % ATOMS_PER_USDT).padStart(6, '0')}`;
};

export class CrashClient {
  /** Every operation sent, by key, in the order first sent. */
  readonly ops = new Map<string, Op>();
  /** The first acknowledgement of each operation. */
  readonly acks = new Map<string, Ack>();
  cycle = 0;
  /** When each operation was first sent, in the client's count of sends and answers. */
  private readonly sentAt = new Map<string, number>();
  private clock = 0;
  /** The clock at the last reconciliation: orders acknowledged since are the ones its status checks ask about. */
  private reconciledAt = -1;
  /** Requests sent and not answered yet. */
  outstanding = 0;
  /** Logins that resumed a user stream (replayed or by snapshot). */
  resumes = 0;
  private accounts: Account[] = [];
  private ep: Endpoints | undefined;

  /** The operator's call: undefined when no answer came (the exchange died, or a 5xx: outcome unknown). */
  private async operator(method: string, path: string, body: unknown): Promise<{ status: number; body: { code?: number; accountId?: number; keyId?: string } } | undefined> {
    try {
      const r = await fetch(`${this.ep!.http}${path}`, { method, headers: { authorization: `Bearer ${this.ep!.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const b = (await r.json()) as { code?: number };
      return r.status >= 500 ? undefined : { status: r.status, body: b };
    } catch {
      return undefined;
    }
  }

  /** First start: an account and an Ed25519 key per account, through the operator HTTP. */
  async setUp(ep: Endpoints): Promise<void> {
    this.ep = ep;
    for (let i = 0; i < ACCOUNTS; i++) {
      const a = await this.operator('POST', '/operator/accounts', { label: `crash ${i}` });
      const pair = generateEd25519();
      const scopes = i === CASH ? ['read', 'trade', 'withdraw'] : ['read', 'trade'];
      const k = await this.operator('POST', '/operator/keys', { account: a?.body.accountId, publicKey: Buffer.from(pair.publicKey).toString('hex'), scopes });
      if (a?.status !== 200 || k?.status !== 200) throw new Error(`setting up account ${i}: ${JSON.stringify([a, k])}`);
      this.accounts.push({ accountId: a.body.accountId!, keyId: k.body.keyId!, secret: pair.seed });
    }
  }

  /** Every account logs in to the (restarted) gateway, resuming its user stream from the last sequence seen. */
  async connect(ep: Endpoints): Promise<void> {
    this.ep = ep;
    await Promise.all(
      this.accounts.map(async (a) => {
        a.client = await PerpxClient.connect(ep.ws);
        const r = await a.client.login({ keyId: a.keyId, alg: 'ed25519', secret: a.secret }, a.position ? { resume: a.position } : {});
        if (a.position && r.resumed !== 'none') this.resumes++;
        if (a.position && r.resumed === 'none') throw new Error(`account ${a.accountId}: the user stream did not resume from ${JSON.stringify(a.position)}`);
        a.client.on('user', () => (a.position = a.client!.position));
        a.client.on('userSnapshot', () => (a.position = a.client!.position));
        a.position = a.client.position ?? a.position;
      }),
    );
  }

  /** Drops every session (the exchange is gone, or the run is over). */
  async close(): Promise<void> {
    await Promise.all(this.accounts.map((a) => a.client?.close()));
  }

  /** Sends one operation and records its answer; resolves when answered or when the answer cannot come. */
  async send(op: Op): Promise<void> {
    if (!this.ops.has(op.key)) {
      this.ops.set(op.key, op);
      this.sentAt.set(op.key, this.clock++);
    }
    this.outstanding++;
    try {
      const code = await this.attempt(op);
      if (code !== undefined && !this.acks.has(op.key)) this.acks.set(op.key, { ...code, cycle: this.cycle, at: this.clock++ });
    } finally {
      this.outstanding--;
    }
  }

  private async attempt(op: Op): Promise<Omit<Ack, 'cycle' | 'at'> | undefined> {
    if (op.kind === 'index') {
      await this.operator('PUT', `/operator/markets/${op.symbol}/index-source`, { source: 'manual', price: SPECS.get(op.symbol)!.ticksToPrice(op.priceTicks) });
      return undefined;
    }
    if (op.kind === 'deposit') {
      const r = await this.operator('POST', '/operator/deposits', { account: this.accounts[op.account]!.accountId, requestId: op.custodyId, amount: `${op.usdt}` });
      if (r === undefined) return undefined;
      return { code: r.status === 200 ? Code.OK : (r.body.code ?? -1), engineId: OPERATOR_REQUEST_BASE + op.custodyId };
    }
    const c = this.accounts[op.account]!.client!;
    let res: Response;
    if (op.kind === 'place') res = await c.request('place', { ...op.order });
    else if (op.kind === 'cancel') res = await c.request('cancel', { market: op.market, clientOrderId: op.clientOrderId });
    else if (op.kind === 'cancelAll') res = await c.request('cancelAll', { market: op.market });
    else if (op.kind === 'amend') res = await c.request('amend', { market: op.market, clientOrderId: op.clientOrderId, price: op.price, qty: op.qty });
    else if (op.kind === 'leverage') res = await c.request('setLeverage', { market: op.market, leverage: op.leverage });
    else res = await c.request('withdraw', { amount: op.atoms, withdrawalId: op.withdrawalId });
    // A refusal the exchange did not take (closed, back-pressure, rate limit): not an answer to the operation.
    if (!res.ok) return res.error!.retryable ? undefined : { code: res.error!.code };
    const d = res.data as { orderId?: number; requestId?: number };
    return { code: Code.OK, engineId: op.kind === 'place' ? d.orderId : op.kind === 'cancelAll' ? undefined : d.requestId };
  }

  /** Every account's wallet as the gateway shows it (its read models), by account id. */
  async wallets(): Promise<Map<number, bigint>> {
    const out = new Map<number, bigint>();
    for (const a of this.accounts) out.set(a.accountId, BigInt((await a.client!.balances()).balance?.wallet ?? 0n));
    return out;
  }

  /** Operations never acknowledged, in the order first sent. */
  unacknowledged(): Op[] {
    return [...this.ops.values()].filter((op) => op.kind !== 'index' && !this.acks.has(op.key));
  }

  /** Sends every unacknowledged operation again, with the same ids; resolves once each has an answer or cannot. */
  async retry(): Promise<number> {
    const ops = this.unacknowledged();
    await Promise.all(ops.map((op) => this.send(op)));
    return ops.length;
  }

  /** The record against what the restarted exchange shows through the gateway (above). */
  async reconcile(): Promise<ReconcileFigures> {
    const f: ReconcileFigures = { lost: 0, twice: 0, checked: 0, problems: [] };
    const lost = (why: string) => {
      f.lost++;
      f.problems.push(why);
    };
    // Per account and client order id: the place, and the last cancel and amendment sent for it.
    const places = new Map<string, Op & { kind: 'place' }>();
    const cancels = new Map<string, Op & { kind: 'cancel' }>();
    const amends = new Map<string, Op & { kind: 'amend' }>();
    /** Per account and market, when the last acknowledged cancel-all was sent. */
    const cancelledAll = new Map<string, number>();
    for (const op of this.ops.values()) {
      if (op.kind === 'cancelAll' && this.acks.get(op.key)?.code === Code.OK) cancelledAll.set(`${op.account}:${op.market}`, this.sentAt.get(op.key)!);
      if (op.kind === 'place') places.set(`${op.account}:${op.order.clientOrderId}`, op);
      else if (op.kind === 'cancel') cancels.set(`${op.account}:${op.clientOrderId}`, op);
      else if (op.kind === 'amend') amends.set(`${op.account}:${op.clientOrderId}`, op);
    }
    for (let i = 0; i < this.accounts.length; i++) {
      const c = this.accounts[i]!.client!;
      const open = (await c.openOrders()).orders;
      const shown = new Map<number, OrderInfo>();
      for (const o of open) {
        const cid = o.clientOrderId;
        // The engine's own orders for the account (liquidation, ADL) carry none.
        if (cid === 0) continue;
        if (shown.has(cid)) {
          f.twice++;
          f.problems.push(`account ${i}: client order id ${cid} open twice`);
        }
        shown.set(cid, o);
        const place = places.get(`${i}:${cid}`);
        const ack = place && this.acks.get(place.key);
        if (place === undefined) lost(`account ${i}: open order ${o.orderId} under client order id ${cid}, never sent`);
        else if (ack?.code === Code.OK && ack.engineId !== o.orderId) lost(`account ${i}: client order id ${cid} acknowledged as order ${ack.engineId}, open as ${o.orderId}`);
        const cancel = cancels.get(`${i}:${cid}`);
        if (cancel && this.acks.get(cancel.key)?.code === Code.OK) lost(`account ${i}: order ${cid} open though its cancel was acknowledged`);
        if (place && ack && ack.at < (cancelledAll.get(`${i}:${o.market}`) ?? -1)) lost(`account ${i}: order ${cid} open though a cancel-all sent after it was acknowledged was acknowledged`);
        const amend = amends.get(`${i}:${cid}`);
        const amended = amend && this.acks.get(amend.key);
        if (amend && amended?.code === Code.OK && (o.price !== amend.price || o.qty !== amend.qty)) lost(`account ${i}: order ${cid} shows ${o.price}×${o.qty}, acknowledged amendment ${amend.price}×${amend.qty}`);
      }
      // Status by client order id: the idempotent replay of the orders acknowledged last before the crash
      // and no longer open (the ones a crash puts at risk), at most STATUS_CHECKS an account.
      const recent: { place: Op & { kind: 'place' }; ack: Ack }[] = [];
      for (const [k, place] of places) {
        const ack = this.acks.get(place.key);
        if (!k.startsWith(`${i}:`) || ack?.code !== Code.OK) continue;
        f.checked++;
        if (ack.at > this.reconciledAt && !shown.has(place.order.clientOrderId)) recent.push({ place, ack });
      }
      recent.sort((a, b) => b.ack.at - a.ack.at);
      await Promise.all(
        recent.slice(0, STATUS_CHECKS).map(async ({ place, ack }) => {
          const again = await c.request('place', { ...place.order });
          if (again.error?.code === 0) throw new Error('the connection closed while reconciling');
          const d = again.data as { orderId?: number; replayed?: boolean } | undefined;
          if (!again.ok || d?.orderId !== ack.engineId || d?.replayed !== true) lost(`account ${i}: client order id ${place.order.clientOrderId} acknowledged as ${ack.engineId}, now ${JSON.stringify(again.data ?? again.error)}`);
        }),
      );
    }
    this.reconcileCash(BigInt((await this.accounts[CASH]!.client!.balances()).balance?.wallet ?? 0n), f, lost);
    this.reconciledAt = this.clock;
    return f;
  }

  /**
   * The cash account's wallet against what was acknowledged: what is left must be the sum of some of the
   * deposits (credited) and withdrawals (debited) in flight, each once; with none in flight, nothing.
   */
  private reconcileCash(wallet: bigint, f: ReconcileFigures, lost: (why: string) => void): void {
    let acked = 0n;
    const inFlight: bigint[] = [];
    for (const op of this.ops.values()) {
      const isCash = (op.kind === 'deposit' && op.account === CASH) || op.kind === 'withdraw';
      if (!isCash) continue;
      const a = this.acks.get(op.key);
      const amount = op.kind === 'deposit' ? BigInt(op.usdt) * ATOMS_PER_USDT : -op.atoms;
      if (a === undefined) inFlight.push(amount);
      // A deposit or withdrawal repeated after its record was forgotten is DUPLICATE_REQUEST: applied before.
      else if (a.code === Code.OK || a.code === Code.DUPLICATE_REQUEST) acked += amount;
      if (a) f.checked++;
    }
    const rest = wallet - acked;
    let sums = new Set<bigint>([0n]);
    for (const d of inFlight.slice(0, 16)) sums = new Set([...sums, ...[...sums].map((s) => s + d)]);
    if (inFlight.length <= 16 && !sums.has(rest)) {
      lost(`cash account: wallet ${USDT(wallet)}, acknowledged ${USDT(acked)}, in flight ${inFlight.map(USDT).join(' ')}: a deposit or withdrawal is missing or applied twice`);
    }
  }
}
