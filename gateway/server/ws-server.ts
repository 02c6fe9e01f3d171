// WsServer: the WebSocket listener (the `ws` package on a node:http server) and the life of each
// connection. It enforces, before any request is read:
//
//   connection caps      in total and per client address, checked at the HTTP upgrade: refused with
//                        503 and the header x-perpx-code: 6014 (CONNECTION_LIMIT), never upgraded
//   half-open clients    an HTTP request whose headers do not complete within headersTimeoutMs is dropped
//   frame size           maxFrameBytes (ws maxPayload): a larger frame closes the connection with 1009
//   text frames          refused: the protocol is binary msgpack
//   heartbeats           a ping every heartbeatMs; a connection that did not answer the previous one is
//                        closed with IDLE_TIMEOUT (4018), as is one still not logged in after loginTimeoutMs
//   outbound cap         Session.send(): past maxBufferedBytes the connection closes SLOW_CONSUMER (4017)
//   orders in flight     per connection, per account and in total (in-flight.ts): past a bound a new order
//                        is refused BACK_PRESSURE by the router before it costs anything more
//   read budget          a connection that sent readBudget frames in one turn of the event loop is paused
//                        until the next: a client that floods cannot hold the loop (answers to everyone,
//                        the dispatch of the exchange's output) for the megabytes libuv would otherwise
//                        read from its socket in one go
//
// One timer serves every connection's heartbeat and login deadline, so an idle gateway wakes once per
// heartbeat interval, not once per connection.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { Code } from '../../engine/codes.js';
import type { InFlightLimits } from './in-flight.js';
import { Session } from './session.js';

export interface ServerLimits extends InFlightLimits {
  /** Largest frame a client may send, bytes (default 64 KiB). */
  readonly maxFrameBytes: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  /** Outbound bytes a connection may have queued before it is closed as a slow consumer (default 4 MiB). */
  readonly maxBufferedBytes: number;
  readonly heartbeatMs: number;
  /** A connection must log in or subscribe within this long (default 10 s). */
  readonly loginTimeoutMs: number;
  /** An HTTP request's headers must complete within this long (default 5 s). */
  readonly headersTimeoutMs: number;
  /** Frames read from one connection in one turn of the event loop before it is paused until the next (default 256). */
  readonly readBudget: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxFrameBytes: 64 * 1024,
  maxConnections: 10_000,
  maxConnectionsPerIp: 200,
  maxBufferedBytes: 4 * 1024 * 1024,
  heartbeatMs: 15_000,
  loginTimeoutMs: 10_000,
  headersTimeoutMs: 5_000,
  readBudget: 256,
  maxInFlightPerConnection: 512,
  maxInFlightPerAccount: 1_024,
  maxInFlight: 4_096,
};

export interface ConnectionHandlers {
  onOpen(s: Session): void;
  onFrame(s: Session, frame: Uint8Array): void;
  /** A text frame or another protocol violation the server saw itself. */
  onBadFrame(s: Session, code: number, message: string): void;
  onClose(s: Session): void;
}

export interface ServerStats {
  connections: number;
  accepted: number;
  refusedConnections: number;
  slowConsumers: number;
  idleClosed: number;
  framesIn: number;
  /** Times a connection was paused for the rest of a turn, its read budget spent. */
  readPauses: number;
}

export class WsServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readonly perIp = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  readonly stats: ServerStats = { connections: 0, accepted: 0, refusedConnections: 0, slowConsumers: 0, idleClosed: 0, framesIn: 0, readPauses: 0 };
  /** The read turn: frames of one connection are counted per turn; it ends with the next check phase. */
  private turn = 1;
  private turnEnding = false;
  private readonly paused: Session[] = [];
  private readonly endTurn = (): void => {
    this.turn++;
    this.turnEnding = false;
    for (const s of this.paused.splice(0)) s.resumeReading();
  };

  constructor(
    readonly limits: ServerLimits,
    private readonly handlers: ConnectionHandlers,
    private readonly nowMs: () => number = () => Math.floor(performance.now()),
  ) {
    // Node checks header deadlines on a sweep; a sweep as fine as the deadline makes it hold.
    this.http = createServer({ connectionsCheckingInterval: Math.max(50, Math.min(1_000, limits.headersTimeoutMs)) }, (_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('perpx gateway: WebSocket only\n');
    });
    this.http.headersTimeout = limits.headersTimeoutMs;
    this.http.requestTimeout = limits.headersTimeoutMs;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false, clientTracking: false });
    this.http.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (this.stats.connections >= this.limits.maxConnections || (this.perIp.get(ip) ?? 0) >= this.limits.maxConnectionsPerIp) {
      this.stats.refusedConnections++;
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nx-perpx-code: ${Code.CONNECTION_LIMIT}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    this.stats.connections++;
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, ip, socket));
  }

  private open(ws: WebSocket, ip: string, socket: Duplex): void {
    const s = new Session(this.nextId++, ip, ws, this.limits.maxBufferedBytes, this.nowMs(), () => this.stats.slowConsumers++, socket);
    this.sessions.add(s);
    this.stats.accepted++;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      s.lastHeardMs = this.nowMs();
      this.stats.framesIn++;
      this.budget(s);
      if (!isBinary) return this.handlers.onBadFrame(s, Code.MALFORMED_FRAME, 'text frames are not part of the protocol: send binary msgpack');
      const buf = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
      this.handlers.onFrame(s, buf);
    });
    ws.on('pong', () => {
      s.awaitingPong = false;
      s.lastHeardMs = this.nowMs();
    });
    // 'error' (a frame past maxPayload, a protocol violation) is followed by 'close'.
    ws.on('error', () => {});
    ws.on('close', () => {
      this.sessions.delete(s);
      this.stats.connections--;
      const n = (this.perIp.get(ip) ?? 1) - 1;
      if (n === 0) this.perIp.delete(ip);
      else this.perIp.set(ip, n);
      s.ended();
      this.handlers.onClose(s);
    });
    this.handlers.onOpen(s);
  }

  /** Counts one frame of the connection in this turn; its budget spent, it reads no more until the next. */
  private budget(s: Session): void {
    if (s.readTurn !== this.turn) {
      s.readTurn = this.turn;
      s.readsThisTurn = 0;
      if (!this.turnEnding) {
        this.turnEnding = true;
        setImmediate(this.endTurn);
      }
    }
    if (++s.readsThisTurn === this.limits.readBudget) {
      this.stats.readPauses++;
      s.pauseReading();
      this.paused.push(s);
    }
  }

  /** Closes with `code` every open session `which` picks (a key revoked: its sessions end at once). */
  closeWhere(which: (s: Session) => boolean, code: number): void {
    for (const s of this.sessions) if (!s.closed && which(s)) s.close(code);
  }

  private beat(): void {
    const now = this.nowMs();
    for (const s of this.sessions) {
      if (s.closed) continue;
      const unidentified = s.key === undefined && s.subscriptions.size === 0 && now - s.openedMs >= this.limits.loginTimeoutMs;
      const pingDue = now - s.lastPingMs >= this.limits.heartbeatMs;
      if ((s.awaitingPong && pingDue) || unidentified) {
        this.stats.idleClosed++;
        s.close(Code.IDLE_TIMEOUT, s.awaitingPong);
      } else if (pingDue) s.ping(now);
    }
  }

  /** Starts listening; resolves with the port (0 picks a free one). */
  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        // Fine enough for both deadlines: a ping every heartbeatMs, a login deadline checked at least as often.
        const every = Math.max(10, Math.min(this.limits.heartbeatMs, this.limits.loginTimeoutMs) / 2);
        this.timer = setInterval(() => this.beat(), every);
        const a = this.http.address();
        resolve(typeof a === 'object' && a !== null ? a.port : port);
      });
    });
  }

  /** Stops accepting, closes every connection with 1001, and resolves once the listener has closed. */
  close(): Promise<void> {
    clearInterval(this.timer);
    for (const s of this.sessions) s.close(Code.OK, true);
    return new Promise((resolve) => {
      this.http.closeAllConnections?.();
      this.http.close(() => resolve());
    });
  }

  get size(): number {
    return this.sessions.size;
  }
}
