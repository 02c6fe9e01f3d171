// Session requests: login (with cancel-on-disconnect and user-stream resume), ping, subscribe and
// unsubscribe (routed to the channel registry md's channels plug into).

import { Code } from '../../engine/codes.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { ChannelRegistry } from '../server/channels.js';
import type { Session } from '../server/session.js';
import type { UserStreams } from '../views/user-stream.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { fail, ok, type Handler } from './handler.js';

export class SessionHandlers {
  constructor(
    private readonly auth: Authenticator,
    private readonly streams: UserStreams,
    private readonly channels: ChannelRegistry,
    private readonly markets: ReadonlySet<number>,
    private readonly nowUs: () => number,
    /** Sends the response first, then whatever must follow it (replayed user events). */
    private readonly after: (s: Session, f: () => void) => void,
  ) {}

  login: Handler = (c) => {
    const s = c.session;
    if (s.key !== undefined) return fail(Code.ALREADY_AUTHENTICATED, 'this session is logged in already');
    const f = c.fields;
    const keyId = f['keyId'] as string;
    const { keyId: _k, ts, nonce, sig, ...rest } = f;
    const r = this.auth.check({ op: 'login', keyId, ts: ts as number, nonce: nonce as string, sig: sig as Uint8Array, fields: rest }, s.ip);
    if (!r.ok) return fail(r.code, r.message);
    s.key = r.key;
    s.cancelOnDisconnect = f['cancelOnDisconnect'] === true;
    const resume = f['resume'] as { epoch: number; seq: number } | undefined;
    const accountId = r.key.accountId;
    const resumed = resume === undefined ? 'none' : this.streams.canReplay(accountId, resume) ? 'replayed' : 'snapshot';
    // The response goes first; the replay (or snapshot) follows it, before any live event.
    this.after(s, () => this.streams.attach(accountId, s, resume));
    s.onClose(() => this.streams.detach(accountId, s));
    return ok({ accountId, scopes: r.key.scopes, epoch: this.streams.epoch, seq: this.streams.seqOf(accountId), resumed, protocol: PROTOCOL_VERSION });
  };

  ping: Handler = () => ok({ serverUs: this.nowUs() });

  subscribe: Handler = (c) => {
    const name = c.fields['channel'] as string;
    const market = c.fields['market'] as number | undefined;
    const key = market === undefined ? name : `${name}/${market}`;
    if (c.session.subscriptions.has(key)) return ok({ channel: name, market, already: true });
    const code = this.channels.subscribe(name, c.session, market, this.markets);
    if (code !== Code.OK) return fail(code, code === Code.UNKNOWN_CHANNEL ? `no channel '${name}' (channels: ${this.channels.names().join(', ') || 'none'})` : undefined, code === Code.INVALID_FIELD ? 'market' : undefined);
    c.session.subscriptions.add(key);
    return ok({ channel: name, market });
  };

  unsubscribe: Handler = (c) => {
    const name = c.fields['channel'] as string;
    const market = c.fields['market'] as number | undefined;
    const key = market === undefined ? name : `${name}/${market}`;
    if (!c.session.subscriptions.delete(key)) return ok({ channel: name, market, subscribed: false });
    return ok({ channel: name, market, subscribed: this.channels.unsubscribe(name, c.session, market) !== Code.OK });
  };

  /** Ends every subscription of a closed session. */
  dropSubscriptions(s: Session): void {
    for (const key of s.subscriptions) {
      const [name, market] = key.split('/');
      this.channels.unsubscribe(name!, s, market === undefined ? undefined : Number(market));
    }
    s.subscriptions.clear();
  }
}
