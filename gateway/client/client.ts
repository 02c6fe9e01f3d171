// PerpxClient: the TypeScript client of the gateway, used by the tests, the load generator and the demo.
// One WebSocket, msgpack frames, request ids assigned here and matched to responses; typed calls resolve
// with the response's data or throw GatewayError; user-stream events and market data come as events.
// It remembers the last user-stream (epoch, seq) it saw, so `login(creds, { resume: client.position })`
// after a reconnect continues the stream without a gap.
//
//   const c = await PerpxClient.connect('ws://127.0.0.1:8080');
//   await c.login({ keyId, alg: 'ed25519', secret: seed });
//   c.on('user', (e) => ...);
//   const placed = await c.place({ market: 1, side: 'buy', type: 'limit', price: 600_000, qty: 5 });
//   await c.cancel({ market: 1, orderId: placed.orderId });
//
// The options of connect() (ClientOptions) trade generality for CPU where a client sends many orders and
// reads few of the frames pushed back (the load generator, bench/loadgen/): each is off by default, and
// its comment says what it saves and what it costs.

import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { canonicalBytes, signBytes } from '../auth/signing.js';
import { FrameCodec } from '../protocol/codec.js';
import { REQUESTS } from '../protocol/messages.js';
import { pushedEvent } from './pushed.js';
import { GatewayError, type AccountResult, type Amended, type ApiCredentials, type BalanceInfo, type FillInfo, type LoginCredentials, type LoginResult, type MarketInfo, type NewOrder, type OrderInfo, type Placed, type PlaceItem, type PositionInfo, type Response, type UserEvent, type UserSnapshot, type Withdrawal } from './types.js';

/** A secret as bytes: given so, or decoded from hex text; undefined for text that is not hex. */
function secretBytes(secret: Uint8Array | string): Uint8Array | undefined {
  if (typeof secret !== 'string') return secret;
  return /^(?:[0-9a-fA-F]{2})+$/.test(secret) ? new Uint8Array(Buffer.from(secret, 'hex')) : undefined;
}

export interface ClientEvents {
  user: [UserEvent];
  userSnapshot: [UserSnapshot];
  md: [Record<string, unknown>];
  notice: [Record<string, unknown>];
  close: [code: number, reason: string];
}

export interface ClientOptions {
  /**
   * Drop a pushed frame (user stream, market data, notice) unread when its event has no listener at the
   * time it arrives (default false: every frame is decoded). The event is read from the frame's first
   * bytes (pushed.ts); responses are always decoded and matched by id, and a listener added later gets
   * every frame from then on. Saves a full decode per pushed frame: an accepted order makes two or three
   * user-stream events besides its response, and decoding them was the load generator's largest cost
   * after its writes. The cost: `position` follows only the user-stream frames that were decoded, so a
   * client that means to resume after a reconnect listens to 'user' (or leaves this off).
   */
  readonly skipUnheard?: boolean;
  /**
   * Frames sent in one event-loop turn leave in one socket write (default false: one write per frame, as
   * `ws` does). The first send of a turn corks the socket and a process.nextTick uncorks it, as the
   * gateway's sessions do: on loopback each write also runs the receiver's side inside the syscall, and a
   * profile of the load generator at 20,000 orders/s spent 27% of its CPU in writev without it. The cost:
   * a frame waits for the end of the current turn, and one written just before terminate() in the same
   * turn is never sent.
   */
  readonly coalesceWrites?: boolean;
  /**
   * Mask every frame with an all-zero key, which `ws` recognises and then skips masking the payload and
   * drawing 4 random bytes per frame (default false: a fresh random key per frame). For load on loopback
   * only: RFC 6455 (section 5.3, 10.3) requires an unpredictable key from each client so that a script
   * cannot choose the bytes a frame puts on the wire and poison a proxy's cache that misreads them as
   * HTTP; a load generator on loopback has no proxy between it and the server, and the server unmasks
   * either way. Never turn this on for a connection that crosses a network.
   */
  readonly zeroMask?: boolean;
}

/**
 * What the client needs of its connection: a `ws` WebSocket, or a stand-in with the same calls
 * (bench/suites/gateway-order.ts runs the client against the gateway's sessions on one thread).
 */
export interface ClientSocket {
  send(data: Uint8Array | string): void;
  close(code: number): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
}

/** Called with a request's response, refused or not (a closed connection answers CLOSED, code 0). */
export type OnResponse = (r: Response) => void;

const zeroMask = (mask: Buffer): void => {
  mask.fill(0);
};

const closedResponse = (id: number, message: string): Response => ({ t: 'res', id, ok: false, rx: 0, tx: 0, rl: 0, error: { code: 0, name: 'CLOSED', message, retryable: true } });

const CLIENT_LIMITS = { maxStrLength: 1 << 20, maxBinLength: 1 << 20, maxArrayLength: 1 << 20, maxMapLength: 1 << 16, maxDepth: 16 };

export class PerpxClient extends EventEmitter<ClientEvents> {
  private readonly codec = new FrameCodec(CLIENT_LIMITS);
  private readonly waiting = new Map<number, OnResponse>();
  private nextId = 1;
  private creds: ApiCredentials | undefined;
  /** The last user-stream position seen: pass it as `resume` when logging in again. */
  position: { epoch: number; seq: number } | undefined;
  closed = false;

  private readonly skipUnheard: boolean;
  /** coalesceWrites: the socket to cork, and whether it is corked until the end of this turn. */
  private readonly corkable: { cork(): void; uncork(): void } | undefined;
  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.corkable!.uncork();
  };

  private constructor(
    private readonly ws: ClientSocket,
    o: ClientOptions,
  ) {
    super();
    this.skipUnheard = o.skipUnheard === true;
    if (o.coalesceWrites === true) {
      // ws keeps its net.Socket in _socket (no public accessor): the same one the gateway's sessions cork.
      const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
      if (socket === undefined) throw new TypeError('coalesceWrites needs a ws WebSocket');
      this.corkable = socket;
    }
    ws.on('message', (data: Buffer) => this.onFrame(data));
    ws.on('close', (code, reason) => {
      this.closed = true;
      const message = `connection closed (${code} ${reason.toString()})`;
      for (const [id, w] of this.waiting) w(closedResponse(id, message));
      this.waiting.clear();
      this.emit('close', code, reason.toString());
    });
    ws.on('error', () => {});
  }

  static connect(url: string, o: ClientOptions = {}): Promise<PerpxClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, ...(o.zeroMask === true && { generateMask: zeroMask }) });
      ws.binaryType = 'nodebuffer';
      ws.once('open', () => resolve(new PerpxClient(ws, o)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused: HTTP ${res.statusCode}`), { statusCode: res.statusCode, code: Number(res.headers['x-perpx-code'] ?? 0) })));
    });
  }

  /** A client over a connection already open (zeroMask is the socket's own business here). */
  static over(socket: ClientSocket, o: Omit<ClientOptions, 'zeroMask'> = {}): PerpxClient {
    return new PerpxClient(socket, o);
  }

  private onFrame(data: Buffer): void {
    if (this.skipUnheard) {
      const event = pushedEvent(data);
      if (event !== undefined && this.listenerCount(event) === 0) return;
    }
    const m = this.codec.decode(data) as Record<string, unknown>;
    switch (m['t']) {
      case 'res': {
        const w = this.waiting.get(m['id'] as number);
        if (w !== undefined) {
          this.waiting.delete(m['id'] as number);
          w(m as unknown as Response);
        }
        break;
      }
      case 'user':
        this.position = { epoch: Number(m['epoch']), seq: Number(m['seq']) };
        this.emit('user', m as unknown as UserEvent);
        break;
      case 'userSnapshot':
        this.position = { epoch: Number(m['epoch']), seq: Number(m['seq']) };
        this.emit('userSnapshot', m as unknown as UserSnapshot);
        break;
      case 'md':
        this.emit('md', m);
        break;
      default:
        this.emit('notice', m);
    }
  }

  /** Sends raw bytes (tests of bad input). */
  sendRaw(bytes: Uint8Array | string): void {
    this.ws.send(bytes);
  }

  /** Sends one request and resolves with its response, refused or not. */
  request(op: string, fields: Record<string, unknown> = {}): Promise<Response> {
    return new Promise((resolve) => this.send(op, fields, resolve));
  }

  /**
   * Sends one request and calls `onResponse` with its response, refused or not; returns the request's id.
   * The callback form of request(): no Promise per request and no turn of the microtask queue before the
   * response is seen, for a client that sends many (the load generator: ids and callbacks are its own).
   * On a closed connection `onResponse` gets CLOSED at once, before send returns.
   */
  send(op: string, fields: Record<string, unknown>, onResponse: OnResponse): number {
    const id = this.nextId++;
    if (this.closed) {
      onResponse(closedResponse(id, 'connection closed'));
      return id;
    }
    let msg: Record<string, unknown> = { op, id, ...fields };
    const c = this.creds;
    if (c?.signOrders && REQUESTS.get(op)?.signable) msg = { ...msg, ...this.signature(op, c, fields) };
    this.waiting.set(id, onResponse);
    if (this.corkable !== undefined && !this.corked) {
      this.corked = true;
      this.corkable.cork();
      process.nextTick(this.uncork);
    }
    // A frame sent once and dropped: in Node's buffer pool, not an ArrayBuffer of its own (codec.ts).
    this.ws.send(this.codec.encodeToSend(msg));
    return id;
  }

  private signature(op: string, c: ApiCredentials, fields: Record<string, unknown>): { ts: number; nonce: string; sig: Uint8Array } {
    const ts = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    const nonce = randomBytes(12).toString('hex');
    return { ts, nonce, sig: signBytes(c.alg, c.secret, canonicalBytes(op, c.keyId, ts, nonce, fields)) };
  }

  /** Sends one request; resolves with its data or throws GatewayError. */
  async call<T = Record<string, unknown>>(op: string, fields: Record<string, unknown> = {}): Promise<T> {
    const r = await this.request(op, fields);
    if (!r.ok) throw new GatewayError(r.error!);
    return r.data as T;
  }

  /** Logs in with an API key (signed login); `resume` continues the user stream after a reconnect. */
  login(creds: LoginCredentials, o: { cancelOnDisconnect?: boolean; resume?: { epoch: number; seq: number } } = {}): Promise<LoginResult> {
    const secret = secretBytes(creds.secret);
    if (secret === undefined) return Promise.reject(new TypeError('secret: bytes, or hex text of an even number of digits'));
    const c: ApiCredentials = { ...creds, secret };
    this.creds = c;
    const fields: Record<string, unknown> = {};
    if (o.cancelOnDisconnect !== undefined) fields['cancelOnDisconnect'] = o.cancelOnDisconnect;
    if (o.resume !== undefined) fields['resume'] = o.resume;
    const { ts, nonce, sig } = this.signature('login', c, fields);
    return this.call<LoginResult>('login', { keyId: c.keyId, ts, nonce, sig, ...fields });
  }

  place(o: NewOrder): Promise<Placed> {
    return this.call<Placed>('place', { ...o });
  }
  batchPlace(orders: NewOrder[]): Promise<{ results: PlaceItem[] }> {
    return this.call('batchPlace', { orders });
  }
  cancel(t: { market: number; orderId?: number; clientOrderId?: number }): Promise<{ orderId: number; clientOrderId: number; cancelledQty: number; filledQty: number }> {
    return this.call('cancel', { ...t });
  }
  amend(t: { market: number; orderId?: number; clientOrderId?: number; price?: number; qty?: number }): Promise<Amended> {
    return this.call('amend', { ...t });
  }
  cancelReplace(t: { market: number; orderId?: number; clientOrderId?: number; order: NewOrder }): Promise<{ cancelled: { orderId: number; cancelledQty: number }; placed: PlaceItem }> {
    return this.call('cancelReplace', { ...t });
  }
  cancelAll(market?: number): Promise<{ cancelled: number }> {
    return this.call('cancelAll', market === undefined ? {} : { market });
  }
  cancelAllAfter(ms: number): Promise<{ armed: boolean; deadlineUs: number }> {
    return this.call('cancelAllAfter', { ms });
  }
  setLeverage(market: number, leverage: number): Promise<AccountResult> {
    return this.call('setLeverage', { market, leverage });
  }
  setMarginMode(market: number, mode: 'cross' | 'isolated'): Promise<AccountResult> {
    return this.call('setMarginMode', { market, mode });
  }
  adjustIsolatedMargin(market: number, amount: bigint): Promise<AccountResult> {
    return this.call('adjustIsolatedMargin', { market, amount });
  }
  /**
   * Withdraws `amount` atoms under `withdrawalId` (1 to 2^51 − 1, the caller's, unique per account): after
   * a lost answer, call it again with the same id and amount; the withdrawal happens at most once.
   */
  withdraw(amount: bigint, withdrawalId: number): Promise<Withdrawal> {
    return this.call('withdraw', { amount, withdrawalId });
  }
  depositRequest(amount: bigint, reference?: string): Promise<{ requestId: number; status: string }> {
    return this.call('depositRequest', reference === undefined ? { amount } : { amount, reference });
  }
  openOrders(market?: number): Promise<{ orders: OrderInfo[] }> {
    return this.call('openOrders', market === undefined ? {} : { market });
  }
  orderHistory(limit?: number): Promise<{ orders: OrderInfo[] }> {
    return this.call('orderHistory', limit === undefined ? {} : { limit });
  }
  fills(limit?: number): Promise<{ fills: FillInfo[] }> {
    return this.call('fills', limit === undefined ? {} : { limit });
  }
  positions(): Promise<{ positions: PositionInfo[] }> {
    return this.call('positions');
  }
  balances(): Promise<{ balance: BalanceInfo | null }> {
    return this.call('balances');
  }
  markets(): Promise<{ markets: MarketInfo[] }> {
    return this.call('markets');
  }
  subscribe(channel: string, market?: number): Promise<Record<string, unknown>> {
    return this.call('subscribe', market === undefined ? { channel } : { channel, market });
  }
  unsubscribe(channel: string, market?: number): Promise<Record<string, unknown>> {
    return this.call('unsubscribe', market === undefined ? { channel } : { channel, market });
  }
  ping(): Promise<{ serverUs: number }> {
    return this.call('ping');
  }

  /** Closes the connection; resolves once closed. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.once('close', () => resolve());
      this.ws.close(1000);
    });
  }

  /** Drops the connection without a close handshake (tests of cancel-on-disconnect and resume). */
  terminate(): void {
    this.ws.terminate();
  }
}

/** A fresh Ed25519 key pair: the 32-byte seed (the client's secret) and the 32-byte public key (the server's). */
export { generateEd25519 } from './keys.js';
