// Session: one client connection. It holds what the client proved at login (key, account, scopes) and
// the connection's outbound side: every frame goes through send(), which refuses to queue past the
// outbound cap. A client that does not read its socket is closed with SLOW_CONSUMER (it resumes its user
// stream from the last seq it saw), so it never holds memory without bound nor delays anyone else.
//
// Frames sent in one turn of the event loop leave in one socket write: the first send of a turn corks the
// connection's socket and a process.nextTick uncorks it, which runs once the turn's synchronous work and
// its promise continuations are done. An order's answer and its user-stream events (often three frames,
// sent from the same dispatch poll and the promise chain it resolves) then cost one writev, not three.

import type { WebSocket } from 'ws';
import { Code } from '../../engine/codes.js';
import type { ApiKey } from '../auth/key-registry.js';
import { closeCodeOf, closeReasonOf } from './close-codes.js';

/**
 * The one error every dropped connection's socket is destroyed with. A socket destroyed without an error
 * fails each write still buffered in it with an ERR_STREAM_DESTROYED of its own, stack trace included:
 * for a slow consumer at its 4 MiB cap, tens of thousands of them in one synchronous burst (7% of the main
 * thread under overload, bench/RESULTS.md "overload"). Destroyed with this one, the stream fails them all
 * with it (Node's writable errorBuffer uses `errored` when set).
 */
export const CONNECTION_DROPPED: Error = Object.assign(new Error('the gateway dropped the connection'), { code: 'PERPX_CONNECTION_DROPPED' });

/** The connection's socket, as Session uses it: corked for a turn, destroyed at once on a drop. */
interface SessionSocket {
  cork(): void;
  uncork(): void;
  destroy(error?: Error): void;
}

export class Session {
  key: ApiKey | undefined;
  cancelOnDisconnect = false;
  /** Subscriptions as 'channel' or 'channel/market'. */
  readonly subscriptions = new Set<string>();
  /** Last time a frame or a pong came in (ms, the server's monotonic clock). */
  lastHeardMs: number;
  /** When the connection opened (ms): the login deadline counts from here. */
  readonly openedMs: number;
  /** Whether a ping went out with no pong yet. */
  awaitingPong = false;
  /** When the last ping went out (ms). */
  lastPingMs = 0;
  closed = false;
  /** Orders of this connection waiting for the exchange's answer (in-flight.ts bounds them). */
  inFlight = 0;
  /** The server's read turn the frames below were counted in, and how many (ws-server.ts, read budget). */
  readTurn = 0;
  readsThisTurn = 0;
  private readonly closeHandlers: (() => void)[] = [];
  private corked = false;
  private readonly uncork = () => {
    this.corked = false;
    this.socket?.uncork();
  };

  constructor(
    readonly id: number,
    readonly ip: string,
    private readonly ws: WebSocket,
    private readonly maxBufferedBytes: number,
    nowMs: number,
    private readonly onSlow: (s: Session) => void,
    /** The connection's socket (under ws), corked for the rest of a turn by the turn's first send. */
    private readonly socket?: SessionSocket,
  ) {
    this.lastHeardMs = nowMs;
    this.openedMs = nowMs;
  }

  get accountId(): number {
    return this.key?.accountId ?? 0;
  }

  /** Bytes queued for the client and not yet written to the socket. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  /** Queues one frame; false (and the session closes as a slow consumer) past the outbound cap. */
  send(frame: Uint8Array): boolean {
    if (this.closed) return false;
    if (this.ws.bufferedAmount + frame.byteLength > this.maxBufferedBytes) {
      this.onSlow(this);
      this.close(Code.SLOW_CONSUMER, true);
      return false;
    }
    if (!this.corked && this.socket !== undefined) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.ws.send(frame, { binary: true });
    return true;
  }

  /** Closes with a gateway code (close code 4000 + its last three digits); `now` drops the socket at once. */
  close(code: number, now = false): void {
    if (this.closed) return;
    this.closed = true;
    // ws's terminate() destroys the socket without an error; its 'error' handler closes the WebSocket
    if (now) {
      if (this.socket !== undefined) this.socket.destroy(CONNECTION_DROPPED);
      else this.ws.terminate();
    } else this.ws.close(closeCodeOf(code), closeReasonOf(code));
  }

  /** Stops reading the client's frames until resumeReading() (a read budget spent: ws-server.ts). */
  pauseReading(): void {
    this.ws.pause();
  }

  resumeReading(): void {
    if (!this.closed) this.ws.resume();
  }

  ping(nowMs: number): void {
    this.awaitingPong = true;
    this.lastPingMs = nowMs;
    this.ws.ping();
  }

  onClose(f: () => void): void {
    this.closeHandlers.push(f);
  }

  /** Called once by the server when the socket has closed. */
  ended(): void {
    this.closed = true;
    for (const f of this.closeHandlers.splice(0)) f();
  }
}
