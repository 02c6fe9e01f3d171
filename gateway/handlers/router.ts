// Router: one frame in, one `res` frame out. In order, each step's refusal is the answer and nothing
// further happens:
//
//   decode (codec limits)            MALFORMED_FRAME            the request id is 0 when it cannot be read
//   request shape (op, id, fields)   UNKNOWN_OPERATION, INVALID_FIELD, UNKNOWN_FIELD
//   rate limits (key and address)    RATE_LIMITED with retryAfterMs
//   login and scope                  UNAUTHENTICATED, SCOPE_REQUIRED
//   signature (signable requests     SIGNATURE_REQUIRED, AUTH_FAILED, TIMESTAMP_OUTSIDE_WINDOW, NONCE_REPLAYED
//   when the key demands it or the
//   request carries one)
//   orders in flight (in-flight.ts)  BACK_PRESSURE past a bound, before the handler costs anything
//   the handler                      its result, or the exchange's answer
//
// Every response carries rx and tx (µs, the gateway clock) and rl, the tokens left in the tighter bucket.

import { Code, codeName } from '../../engine/codes.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { FrameCodec } from '../protocol/codec.js';
import { ProtocolError } from '../protocol/errors.js';
import { readRequest, requestIdOf, type Request } from '../protocol/request.js';
import { ordersOf, type InFlight } from '../server/in-flight.js';
import type { RateLimiter } from '../server/rate-limiter.js';
import type { Session } from '../server/session.js';
import { LATER, type Handler, type RequestContext, type Result } from './handler.js';
import { writeOkResponse } from './response-frame.js';

/** Codes a client may simply retry (the same request, later). */
/** The codes a response marks `retryable` (docs/PROTOCOL.md's tables say the same: test/gateway/protocol-doc.test.ts). */
export const RETRYABLE: ReadonlySet<number> = new Set([Code.BACK_PRESSURE, Code.RATE_LIMITED, Code.REQUEST_IN_FLIGHT, Code.MARK_PRICE_UNAVAILABLE, Code.TIMESTAMP_OUTSIDE_WINDOW, Code.STORE_IO_FAILED]);

const TOO_MANY_IN_FLIGHT: Result = { ok: false, code: Code.BACK_PRESSURE, message: 'too many orders waiting for the exchange (connection, account or gateway bound): retry' };

export interface RouterStats {
  requests: number;
  /** Refusals by code (gateway and engine codes alike). */
  refused: Map<number, number>;
  /** Requests by op. */
  byOp: Map<string, number>;
}

export class Router {
  readonly stats: RouterStats = { requests: 0, refused: new Map(), byOp: new Map() };
  /** Work to run right after a response is sent (a login's replay), keyed by session. */
  private readonly afterResponse = new Map<Session, () => void>();

  constructor(
    private readonly codec: FrameCodec,
    private readonly handlers: ReadonlyMap<string, Handler>,
    private readonly limiter: RateLimiter,
    private readonly auth: Authenticator,
    private readonly nowUs: () => number,
    private readonly nowMs: () => number,
    private readonly onResponse?: (op: string, code: number, rxUs: number, txUs: number) => void,
    private readonly inFlight?: InFlight,
  ) {}

  /** Runs `f` right after the response being built for `s` is sent. */
  after(s: Session, f: () => void): void {
    this.afterResponse.set(s, f);
  }

  private respond(s: Session, id: number, rxUs: number, rl: number, r: Result, retryAfterMs?: number, op = ''): void {
    if (!r.ok) this.stats.refused.set(r.code, (this.stats.refused.get(r.code) ?? 0) + 1);
    const txUs = this.nowUs();
    this.onResponse?.(op, r.ok ? Code.OK : r.code, rxUs, txUs);
    // Copied into Node's buffer pool, as encodeToSend() does: a response is sent once and dropped.
    if (r.ok) s.send(Buffer.from(writeOkResponse(this.codec.writer, id, rxUs, txUs, rl, r.data)));
    else s.send(this.codec.encodeToSend({ t: 'res', id, rx: rxUs, tx: txUs, rl, ok: false, error: { code: r.code, name: codeName(r.code), message: r.message ?? codeName(r.code), retryable: RETRYABLE.has(r.code), field: r.field, retryAfterMs } }));
    const f = this.afterResponse.get(s);
    if (f !== undefined) {
      this.afterResponse.delete(s);
      f();
    }
  }

  onFrame(s: Session, frame: Uint8Array): void {
    const rxUs = this.nowUs();
    this.stats.requests++;
    let decoded: unknown;
    let req: Request;
    try {
      decoded = this.codec.decode(frame);
      req = readRequest(decoded);
    } catch (e) {
      const p = e instanceof ProtocolError ? e : new ProtocolError(Code.MALFORMED_FRAME, (e as Error).message);
      // A refused frame still costs the address one token: floods of garbage are rate-limited too.
      const t = this.limiter.take(undefined, s.ip, 1, this.nowMs());
      return this.respond(s, requestIdOf(decoded), rxUs, t.remaining, { ok: false, code: p.code, message: p.message, field: p.field });
    }
    const def = req.def;
    this.stats.byOp.set(def.op, (this.stats.byOp.get(def.op) ?? 0) + 1);
    const weight = def.op === 'batchPlace' ? (req.fields['orders'] as unknown[]).length * def.weight : def.weight;
    const t = this.limiter.take(s.key?.keyId, s.ip, weight, this.nowMs());
    if (!t.ok) return this.respond(s, req.id, rxUs, t.remaining, { ok: false, code: Code.RATE_LIMITED, message: `rate limit: retry after ${t.retryAfterMs} ms` }, t.retryAfterMs, def.op);
    const refusal = this.admit(s, req);
    if (refusal !== undefined) return this.respond(s, req.id, rxUs, t.remaining, refusal, undefined, def.op);
    const orders = this.inFlight === undefined ? 0 : ordersOf(def.op, req.fields);
    if (orders > 0 && !this.inFlight!.take(s, s.accountId, orders)) return this.respond(s, req.id, rxUs, t.remaining, TOO_MANY_IN_FLIGHT, undefined, def.op);
    const ctx = new PendingRequest(this, s, req.id, req.fields, rxUs, t.remaining, def.op, orders);
    let out: Result | Promise<Result> | typeof LATER;
    try {
      out = this.handlers.get(def.op)!(ctx);
    } catch (e) {
      out = internalError(e);
    }
    if (out === LATER) return;
    if (out instanceof Promise) {
      out.then(
        (r) => ctx.answer(r),
        (e: Error) => ctx.answer(internalError(e)),
      );
    } else ctx.answer(out);
  }

  /** The response to a request handed to its handler (PendingRequest.answer); its orders stop counting. */
  answered(c: PendingRequest, r: Result): void {
    if (c.orders > 0) this.inFlight!.release(c.session, c.accountId, c.orders);
    this.respond(c.session, c.id, c.rxUs, c.rl, r, undefined, c.op);
  }

  /** Forgets full rate-limit buckets (addresses and keys not seen for a while): bounded memory. */
  sweep(): void {
    this.limiter.sweep(this.nowMs());
  }

  /** A frame the server refused itself (a text frame): answered like a malformed one. */
  refuseFrame(s: Session, code: number, message: string): void {
    const t = this.limiter.take(undefined, s.ip, 1, this.nowMs());
    this.respond(s, 0, this.nowUs(), t.remaining, { ok: false, code, message });
  }

  /** Login, scope and signature checks; undefined when the request may go to its handler. */
  private admit(s: Session, req: Request): Result | undefined {
    const def = req.def;
    if (def.scope === undefined) return undefined;
    if (s.key === undefined) return { ok: false, code: Code.UNAUTHENTICATED, message: 'log in first' };
    // The key as it stands now, not as it stood at login: revoking it, narrowing its scopes or taking this
    // address off its allowlist stops the sessions already open too.
    const key = this.auth.keys.get(s.key.keyId);
    if (key === undefined || (key.ipAllowlist.length > 0 && !key.ipAllowlist.includes(s.ip))) return { ok: false, code: Code.AUTH_FAILED, message: 'the key was revoked, or no longer allows this address' };
    s.key = key;
    if (!key.scopes.includes(def.scope)) return { ok: false, code: Code.SCOPE_REQUIRED, message: `the key lacks the '${def.scope}' scope` };
    if (!def.signable) return undefined;
    // Unsigned, and the key does not demand it: nothing to check (and no copy of the fields to make).
    if (req.fields['sig'] === undefined && !key.signOrders) return undefined;
    const { ts, nonce, sig, ...fields } = req.fields;
    if (sig === undefined || ts === undefined || nonce === undefined) return { ok: false, code: Code.SIGNATURE_REQUIRED, message: 'this key signs every order-entry request: ts, nonce and sig are required' };
    const r = this.auth.check({ op: def.op, keyId: key.keyId, ts: ts as number, nonce: nonce as string, sig: sig as Uint8Array, fields }, s.ip);
    return r.ok ? undefined : { ok: false, code: r.code, message: r.message };
  }
}

const internalError = (e: unknown): Result => ({ ok: false, code: Code.INTERNAL_ERROR, message: `internal error: ${(e as Error).message}` });

/** A request given to its handler: its context, and where its one response goes (a second answer is ignored). */
class PendingRequest implements RequestContext {
  private done = false;

  constructor(
    private readonly router: Router,
    readonly session: Session,
    readonly id: number,
    readonly fields: Readonly<Record<string, unknown>>,
    readonly rxUs: number,
    /** The rate-limit tokens left when it came in. */
    readonly rl: number,
    readonly op: string,
    /** Orders it counts toward the in-flight bounds (server/in-flight.ts), released with its answer. */
    readonly orders: number,
  ) {
    this.accountId = session.accountId;
  }

  /** The account its orders were counted to (the session's when it came in). */
  readonly accountId: number;

  answer(r: Result): void {
    if (this.done) return;
    this.done = true;
    this.router.answered(this, r);
  }
}
