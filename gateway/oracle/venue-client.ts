// VenueClient: one undici Pool per venue, so every source of that venue shares its keep-alive
// connections, with the edge concerns composed as interceptors (STYLE.md):
//
//   request ─▶ retry interceptor (backoff with full jitter, only what is safe to repeat) ─▶ Pool ─▶ venue
//
// - Timeouts: connect, headers and body each bounded by timeoutMs, and the whole request (retries
//   included) by an AbortSignal of timeoutMs: a slow venue costs at most timeoutMs per request.
// - Retries: connection failures and 429/5xx answers, up to `retries` more attempts, each after a delay
//   drawn uniformly from [0, min(retryMaxMs, retryBaseMs · 2^attempt)) ("full jitter", so sources that
//   failed together do not retry together). A timeout is not retried: the venue is slow, and asking again
//   would only pile up. Other 4xx answers are not retried: asking again gets the same answer.
// - A body larger than maxBodyBytes is abandoned (a venue gone wrong must not fill memory).
// At most one request per source is in flight: http-source.ts never starts one while the last runs.

import { interceptors, Pool, type Dispatcher } from 'undici';
import { BadBodyError } from './venue-quote.js';

export interface VenueClientOptions {
  readonly baseUrl: string;
  /** Keep-alive connections to the venue (its sources share them). */
  readonly connections: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly maxBodyBytes: number;
  /** Uniform in [0, 1): the jitter. Math.random unless a test pins it. */
  readonly random?: () => number;
  /** Told of every attempt beyond the first (metrics). */
  readonly onRetry?: () => void;
}

const RETRY_STATUS = [429, 500, 502, 503, 504];
const RETRY_ERRORS = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET'];

class HttpStatusError extends Error {
  readonly code = 'ORACLE_HTTP_STATUS';
  constructor(
    origin: string,
    readonly statusCode: number,
  ) {
    super(`${origin}: HTTP ${statusCode}`);
    this.name = 'HttpStatusError';
  }
}

export interface JsonAnswer {
  readonly statusCode: number;
  readonly body: unknown;
}

type RetryFn = NonNullable<Parameters<typeof interceptors.retry>[0]>['retry'];

export class VenueClient {
  private readonly pool: Pool;
  private readonly dispatcher: Dispatcher;
  /** Attempts beyond the first, since start. */
  retried = 0;

  constructor(readonly options: VenueClientOptions) {
    const o = options;
    this.pool = new Pool(o.baseUrl, {
      connections: o.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connectTimeout: o.timeoutMs,
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
    });
    const random = o.random ?? Math.random;
    const retry: RetryFn = (err, { state }, cb) => {
      const e = err as Error & { code?: string; statusCode?: number };
      const retryable = e.statusCode !== undefined ? RETRY_STATUS.includes(e.statusCode) : e.code !== undefined && RETRY_ERRORS.includes(e.code);
      if (!retryable || state.counter > o.retries) return cb(err);
      this.retried++;
      o.onRetry?.();
      const ceiling = Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** (state.counter - 1));
      setTimeout(() => cb(null), Math.floor(random() * ceiling)).unref();
      return undefined;
    };
    this.dispatcher = this.pool.compose(interceptors.retry({ maxRetries: o.retries, retry, methods: ['GET'], throwOnError: true }));
  }

  /** GETs path and parses the body as JSON. Throws on timeout, network error, HTTP error or a body that is not JSON. */
  async getJson(path: string): Promise<JsonAnswer> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const { statusCode, body } = await this.dispatcher.request({ path, method: 'GET', signal, headers: { accept: 'application/json' } });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > this.options.maxBodyBytes) {
        body.destroy();
        throw new BadBodyError(this.options.baseUrl, `body larger than ${this.options.maxBodyBytes} bytes`, statusCode);
      }
      chunks.push(chunk as Buffer);
    }
    // A status the retry interceptor passed through (not worth repeating) is still no answer.
    if (statusCode >= 300) throw new HttpStatusError(this.options.baseUrl, statusCode);
    try {
      return { statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
    } catch {
      throw new BadBodyError(this.options.baseUrl, 'body is not JSON', statusCode);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** Drops connections at once (shutdown with requests still running). */
  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}
