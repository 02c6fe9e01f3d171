// A venue's REST endpoint on 127.0.0.1 (ephemeral port) for oracle tests and benchmarks: serves whatever
// the test sets, as the venue would (a body, an HTTP error, garbage, a delay, a dropped connection), and
// counts requests and the most it ever had in flight at once.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VenueBehaviour {
  /** The body to send (JSON text as the venue sends it). */
  body?: string;
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Close the connection without an answer. */
  hangUp?: boolean;
}

export class VenueServer {
  behaviour: VenueBehaviour = { body: '{}' };
  /** Requests received, by path and query. */
  readonly paths: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly server: Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor() {
    this.server = createServer((req, res) => this.answer(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(behaviour?: VenueBehaviour): Promise<VenueServer> {
    const v = new VenueServer();
    if (behaviour) v.behaviour = behaviour;
    await new Promise<void>((resolve) => v.server.listen(0, '127.0.0.1', resolve));
    return v;
  }

  get requests(): number {
    return this.paths.length;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.paths.push(req.url ?? '');
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const b = this.behaviour;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.inFlight--;
    };
    res.on('close', finish);
    const send = () => {
      if (b.hangUp) {
        req.socket.destroy();
        return;
      }
      res.writeHead(b.status ?? 200, { 'content-type': 'application/json' });
      res.end(b.body ?? '');
    };
    if (b.delayMs) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        send();
      }, b.delayMs);
      this.timers.add(t);
    } else send();
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
