// The operator's index call, for the gateway's operator HTTP server to route to (it owns the server,
// authentication and the route; this is the handler behind it):
//
//   POST   {"market": "BTC-PERP", "price": "60000.5", "holdSeconds": 300}   set an index, in force until then
//   DELETE {"market": "BTC-PERP"}                                           back to the sources now
//
// Answers are JSON-ready objects with an HTTP status; bad input is a 4xx with the stable code name.

import { Code, codeName } from '../../engine/codes.js';
import type { IndexOracle } from './oracle.js';

export interface OperatorAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

function bad(code: number, message: string, status = 400): OperatorAnswer {
  return { status, body: { error: codeName(code), code, message } };
}

export function handleOperatorIndex(oracle: IndexOracle, method: string, body: unknown): OperatorAnswer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad(Code.MALFORMED_FRAME, 'body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.market !== 'string') return bad(Code.UNKNOWN_MARKET, 'market must be a market symbol');
  if (method === 'DELETE') {
    const cleared = oracle.clearOperatorIndex(b.market);
    return { status: 200, body: { market: b.market, cleared } };
  }
  if (method !== 'POST') return bad(Code.UNKNOWN_COMMAND, `method ${method} is not POST or DELETE`, 405);
  if (typeof b.price !== 'string') return bad(Code.INVALID_NUMBER, 'price must be decimal text, e.g. "60000.5"');
  const hold = b.holdSeconds ?? 300;
  if (typeof hold !== 'number' || !Number.isSafeInteger(hold) || hold < 1 || hold > 86_400) return bad(Code.INVALID_NUMBER, 'holdSeconds must be an integer in [1, 86400]');
  const r = oracle.setOperatorIndex(b.market, b.price, hold * 1000);
  if (!r.ok) return bad(r.code, r.message, r.code === Code.UNKNOWN_MARKET ? 404 : 400);
  return { status: 200, body: { market: b.market, price: b.price, indexTicks: r.tick.indexTicks.toString(), timeUs: r.tick.timeUs, untilUs: r.untilUs } };
}
