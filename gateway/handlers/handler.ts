// What a request handler gets and gives. A handler reads validated fields (protocol/request.ts) and
// returns its result, or a promise of it when the exchange must answer first (or LATER, and answers itself). The router turns the result
// into a `res` frame with the request id, receive and send times and the rate-limit quota.

import type { Session } from '../server/session.js';

export type Result = { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly code: number; readonly message?: string; readonly field?: string };

/** Where a result goes once known. */
export interface Answerer {
  answer(r: Result): void;
}

export interface RequestContext extends Answerer {
  readonly session: Session;
  readonly id: number;
  readonly fields: Readonly<Record<string, unknown>>;
  /** When the frame arrived, µs (the gateway clock). */
  readonly rxUs: number;
}

/**
 * Returned by a handler that answers later by calling its context's answer() (exactly once), without a
 * promise: an order's place, whose promise, executor and reactions were a good part of what an order
 * allocated.
 */
export const LATER: unique symbol = Symbol('later');

export type Handler = (ctx: RequestContext) => Result | Promise<Result> | typeof LATER;

export const ok = (data: unknown): Result => ({ ok: true, data });
export const fail = (code: number, message?: string, field?: string): Result => ({ ok: false, code, message, field });
