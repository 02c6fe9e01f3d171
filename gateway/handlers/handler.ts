// What a request handler gets and gives. A handler reads validated fields (protocol/request.ts) and
// returns its result, or a promise of it when the exchange must answer first. The router turns the result
// into a `res` frame with the request id, receive and send times and the rate-limit quota.

import type { Session } from '../server/session.js';

export type Result = { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly code: number; readonly message?: string; readonly field?: string };

export interface RequestContext {
  readonly session: Session;
  readonly id: number;
  readonly fields: Readonly<Record<string, unknown>>;
  /** When the frame arrived, µs (the gateway clock). */
  readonly rxUs: number;
}

export type Handler = (ctx: RequestContext) => Result | Promise<Result>;

export const ok = (data: unknown): Result => ({ ok: true, data });
export const fail = (code: number, message?: string, field?: string): Result => ({ ok: false, code, message, field });
