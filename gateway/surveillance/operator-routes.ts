// Operator routes of surveillance, independent of the HTTP server that carries them: the gateway's
// operator server (authenticated operators, audit log) routes requests under PREFIX here.
//
//   GET  /operator/surveillance/alerts?detector=&market=&account=&from=&to=&minScore=&status=&limit=&offset=
//                                               list, newest first (role surveillance:read)
//   GET  /operator/surveillance/alerts/:id      one alert with its evidence, status and actions (read)
//   GET  /operator/surveillance/alerts/:id/report   the HTML case report (read)
//   POST /operator/surveillance/alerts/:id/acknowledge   {"note": "..."}  (role surveillance:act)
//   POST /operator/surveillance/alerts/:id/escalate      {"note": "..."}  (act)
//
// Refusals are the operator server's ({"error": NAME, "code": N, "message"}, docs/OPERATOR.md): no
// operator 401 UNAUTHENTICATED, an operator without the role 403 OPERATOR_FORBIDDEN, a bad filter or note
// 400 OPERATOR_BAD_REQUEST with the reason, an unknown alert or route 404 OPERATOR_NOT_FOUND. Times in
// the query are µs since the epoch.

import { Code } from '../../engine/codes.js';
import { json, refuse } from '../operator/exchange-routes.js';
import { DETECTOR_IDS, type DetectorId } from '../../risk/surveillance/alert.js';
import { AlertActionError, AlertStatus, type AlertBook, type AlertFilter } from '../../exchange/surveillance/alert-book.js';
import { AlertActionKind } from '../../exchange/surveillance/alert-storage.js';
import { renderCaseReport, type ReportOptions } from './case-report.js';

export const PREFIX = '/operator/surveillance';
export const Role = { READ: 'surveillance:read', ACT: 'surveillance:act' } as const;

export interface Operator {
  id: string;
  roles: readonly string[];
}

export interface OperatorRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (POST). */
  body?: unknown;
  /** The authenticated operator, undefined when the request carried no valid credentials. */
  operator: Operator | undefined;
}

export interface OperatorResponse {
  status: number;
  contentType: string;
  body: string;
}


function integer(q: URLSearchParams, name: string): number | undefined | Error {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{1,16}$/.test(v)) return new Error(`${name} must be a non-negative integer`);
  return Number(v);
}

function parseFilter(q: URLSearchParams): AlertFilter | Error {
  const f: AlertFilter = {};
  const detector = q.get('detector');
  if (detector !== null) {
    if (!DETECTOR_IDS.includes(detector as DetectorId)) return new Error(`detector must be one of ${DETECTOR_IDS.join(', ')}`);
    f.detector = detector as DetectorId;
  }
  const status = q.get('status');
  if (status !== null) {
    if (!Object.values(AlertStatus).includes(status as AlertStatus)) return new Error(`status must be one of ${Object.values(AlertStatus).join(', ')}`);
    f.status = status as AlertStatus;
  }
  for (const [param, key] of [
    ['market', 'marketId'],
    ['account', 'accountId'],
    ['from', 'fromUs'],
    ['to', 'toUs'],
    ['minScore', 'minScore'],
    ['limit', 'limit'],
    ['offset', 'offset'],
  ] as const) {
    const v = integer(q, param);
    if (v instanceof Error) return v;
    if (v !== undefined) f[key] = v;
  }
  if (f.limit !== undefined && (f.limit < 1 || f.limit > 1_000)) return new Error('limit must be 1 to 1000');
  return f;
}

/**
 * The router: answers requests under PREFIX, undefined for any other path. `nowUs` stamps operator
 * actions (the gateway's clock: it is the edge that may read one).
 */
export function surveillanceRoutes(book: AlertBook, nowUs: () => number, report: ReportOptions = {}): (req: OperatorRequest) => Promise<OperatorResponse | undefined> {
  return async (req) => {
    if (req.path !== PREFIX + '/alerts' && !req.path.startsWith(PREFIX + '/alerts/')) return undefined;
    if (req.operator === undefined) return refuse(401, Code.UNAUTHENTICATED, 'operator credentials required');
    const rest = req.path.slice((PREFIX + '/alerts').length).split('/').filter(Boolean).map(decodeURIComponent);
    const needs = req.method === 'POST' ? Role.ACT : Role.READ;
    if (!req.operator.roles.includes(needs)) return refuse(403, Code.OPERATOR_FORBIDDEN, `role ${needs} required`);

    if (req.method === 'GET' && rest.length === 0) {
      const f = parseFilter(req.query);
      if (f instanceof Error) return refuse(400, Code.OPERATOR_BAD_REQUEST, f.message);
      return json(200, book.list(f));
    }
    const id = rest[0]!;
    const c = req.method === 'GET' ? await book.get(id) : undefined;
    if (req.method === 'GET' && rest.length === 1) return c ? json(200, c) : refuse(404, Code.OPERATOR_NOT_FOUND, `no alert ${id}`);
    if (req.method === 'GET' && rest.length === 2 && rest[1] === 'report') {
      return c ? { status: 200, contentType: 'text/html; charset=utf-8', body: renderCaseReport(c, report) } : refuse(404, Code.OPERATOR_NOT_FOUND, `no alert ${id}`);
    }
    if (req.method === 'POST' && rest.length === 2 && (rest[1] === AlertActionKind.ACKNOWLEDGE || rest[1] === AlertActionKind.ESCALATE)) {
      const note = (req.body as { note?: unknown } | undefined)?.note;
      if (typeof note !== 'string') return refuse(400, Code.OPERATOR_BAD_REQUEST, 'body must be {"note": "..."}');
      try {
        return json(200, await book.act(id, rest[1], req.operator.id, note, nowUs()));
      } catch (e) {
        if (e instanceof AlertActionError) return e.code === 'NOT_FOUND' ? refuse(404, Code.OPERATOR_NOT_FOUND, e.message) : refuse(400, Code.OPERATOR_BAD_REQUEST, e.message);
        throw e;
      }
    }
    return refuse(404, Code.OPERATOR_NOT_FOUND, `no route ${req.method} ${req.path}`);
  };
}
