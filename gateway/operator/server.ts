// The operator HTTP server, on a port of its own (never the traders'): health, readiness and metrics for
// the machines that watch the exchange, and the authenticated operator calls for people.
//
//   GET /healthz   200 {"status":"ok"} while the process serves; 503 once the exchange has halted
//   GET /readyz    200 when ready() says so (recovered, every worker attached), else 503 with the reasons
//   GET /metrics   Prometheus text (metrics.ts)
//   /operator/...  bearer-token operators (tokens.ts), routed to each router in turn (exchange-routes.ts,
//                  surveillance's operator-routes.ts); every such call, answered or refused, is appended
//                  to the audit log (audit-log.ts) before its answer is sent.
//
// Bodies are JSON, at most 64 KiB, read with a deadline; anything else is refused with a stable code.
// A router that throws is answered 500 and logged: no request can take the server down.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Code } from '../../engine/codes.js';
import type { OperatorRequest, OperatorResponse } from '../surveillance/operator-routes.js';
import type { AuditLog } from './audit-log.js';
import { json, refuse } from './exchange-routes.js';
import type { ExchangeMetrics } from './metrics.js';
import type { OperatorTokens } from './tokens.js';

export type Router = (req: OperatorRequest) => Promise<OperatorResponse | undefined>;

export interface Readiness {
  readonly ready: boolean;
  /** What is not ready yet, or what failed. */
  readonly reasons: readonly string[];
}

export interface OperatorServerOptions {
  readonly tokens: OperatorTokens;
  readonly audit: AuditLog;
  readonly metrics: ExchangeMetrics;
  readonly routers: readonly Router[];
  readonly readiness: () => Readiness;
  /** False once the exchange has halted (a shard or the journal failed). */
  readonly alive: () => boolean;
  readonly nowUs: () => number;
  readonly log: Logger;
  readonly maxBodyBytes?: number;
  /** How long a client may take to send its request (slow clients hold no slot for long). */
  readonly requestTimeoutMs?: number;
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, max: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and dropped (bounded by the request timeout), so the client gets
    // its 413 rather than a reset connection.
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on('end', () => {
      if (size > max) return reject(new BodyError(413, `body over ${max} bytes`));
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new BodyError(400, 'body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

export class OperatorServer {
  private readonly server: Server;

  constructor(private readonly o: OperatorServerOptions) {
    this.server = createServer({ requestTimeout: o.requestTimeoutMs ?? 10_000, headersTimeout: o.requestTimeoutMs ?? 10_000 }, (req, res) => {
      this.handle(req, res).catch((e: Error) => {
        o.log.error({ err: e, path: req.url }, 'operator request failed');
        if (!res.headersSent) send(res, refuse(500, Code.OPERATOR_UNAVAILABLE, 'internal error'));
      });
    });
  }

  /** Listens on host:port (port 0: any free one); resolves with the bound address. */
  listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops taking connections and ends idle ones; resolves once every open request is answered. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://operator');
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz') return send(res, this.o.alive() ? json(200, { status: 'ok' }) : json(503, { status: 'halted' }));
    if (url.pathname === '/readyz') {
      const r = this.o.readiness();
      return send(res, json(r.ready ? 200 : 503, { ready: r.ready, reasons: r.reasons }));
    }
    if (url.pathname === '/metrics') return send(res, { status: 200, contentType: this.o.metrics.contentType, body: await this.o.metrics.text() });
    if (!url.pathname.startsWith('/operator/')) return send(res, refuse(404, Code.OPERATOR_NOT_FOUND, `no route ${url.pathname}`));

    const operator = this.o.tokens.authenticate(req.headers.authorization);
    let body: unknown;
    let answer: OperatorResponse | undefined;
    try {
      body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, this.o.maxBodyBytes ?? 65_536);
    } catch (e) {
      if (!(e instanceof BodyError)) throw e;
      answer = refuse(e.status, Code.OPERATOR_BAD_REQUEST, e.message);
    }
    if (answer === undefined) {
      const request: OperatorRequest = { method, path: url.pathname, query: url.searchParams, body, operator };
      for (const route of this.o.routers) {
        answer = await route(request);
        if (answer !== undefined) break;
      }
      answer ??= operator === undefined ? refuse(401, Code.UNAUTHENTICATED, 'operator credentials required') : refuse(404, Code.OPERATOR_NOT_FOUND, `no route ${method} ${url.pathname}`);
    }
    await this.o.audit.append({
      atUs: this.o.nowUs(),
      operator: operator?.id ?? null,
      method,
      path: url.pathname,
      query: url.search.length > 1 ? url.search.slice(1) : undefined,
      body,
      status: answer.status,
      outcome: answer.status < 400 ? 'ok' : outcomeOf(answer),
      remote: req.socket.remoteAddress,
    });
    this.o.log.info({ operator: operator?.id ?? null, method, path: url.pathname, status: answer.status }, 'operator call');
    send(res, answer);
  }
}

/** The error name an answer carries ({"error": NAME}), else its status. */
function outcomeOf(a: OperatorResponse): string {
  try {
    const e = (JSON.parse(a.body) as { error?: unknown }).error;
    if (typeof e === 'string') return e;
  } catch {
    // an HTML or text answer
  }
  return `HTTP_${a.status}`;
}

function send(res: ServerResponse, a: OperatorResponse): void {
  res.writeHead(a.status, { 'content-type': a.contentType, 'cache-control': 'no-store' });
  res.end(a.body);
}
