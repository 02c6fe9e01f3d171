// MqttBusPublisher: publishes every message of the market-data hub to an MQTT broker (topics.ts), on the
// main thread's event loop, never on a shard's thread, and never making the hub wait:
//
//   hub tap ─▶ connected and the socket takes more? ── yes ─▶ client.publish
//                                 │ no: the socket is backed up ─▶ bounded buffer (maxBuffered), sent on 'drain'
//                                 │ broker away, or the buffer full ─▶ dropped (counted), market marked
//   on every connect all markets are marked; when the buffer empties every marked market is resnapshotted: its book snapshot and its
//   latest retained messages are published again (counted as resent), so a subscriber that saw a gap in
//   the diffs' seq finds a newer snapshot to resync from.
//
// Reconnection is mqtt.js's, with the period doubled after every failed attempt up to reconnectMaxMs and
// reset on success. A periodic book snapshot (retained) goes out every snapshotEveryMs for each market
// whose book changed since the last one; an idle exchange publishes nothing.

import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { MarketDataHub } from '../market-data/hub.js';
import { CHANNELS, EXCHANGE_WIDE, type Channel, type MarketDataMessage } from '../market-data/messages.js';
import { encodePayload, type PayloadFormat } from './payload.js';
import { DEFAULT_PREFIX, DEFAULT_QOS, FAMILIES, familyOf, RETAINED, topicOf, type Family, type Qos } from './topics.js';

export interface BusOptions {
  readonly url: string;
  readonly format?: PayloadFormat;
  /** First level of the topic tree (default perpx). */
  readonly prefix?: string;
  readonly qos?: Partial<Record<Family, Qos>>;
  /** Messages held while the socket is backed up; beyond it they are dropped (default 10,000). */
  readonly maxBuffered?: number;
  /** Period of the retained book snapshots, ms (default 1,000; 0: only after a resnapshot). */
  readonly snapshotEveryMs?: number;
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** Passed to mqtt.js as they are: username, password, TLS (ca, cert, key, rejectUnauthorized), clientId… */
  readonly clientOptions?: IClientOptions;
}

/** Counters for /metrics: a plain object, read when scraped. */
export interface BusStats {
  published: number;
  dropped: number;
  resent: number;
  buffered: number;
  reconnects: number;
  connected: boolean;
}

interface PublishOptions {
  readonly qos: Qos;
  readonly retain: boolean;
}

interface Outgoing {
  readonly topic: string;
  readonly payload: Buffer;
  readonly options: PublishOptions;
}

const RETAINED_CHANNELS: readonly Channel[] = CHANNELS.filter((c) => c !== 'book' && c !== 'insurance' && RETAINED.has(c as Family));

export class MqttBusPublisher {
  readonly stats: BusStats = { published: 0, dropped: 0, resent: 0, buffered: 0, reconnects: 0, connected: false };
  readonly client: MqttClient;
  private readonly format: PayloadFormat;
  private readonly prefix: string;
  private readonly topics = new Map<string, Map<Family, string>>();
  private readonly qos: Record<Family, Qos>;
  /** Per family, built once: mqtt.js copies them into each packet. */
  private readonly options: Record<Family, PublishOptions>;
  private readonly maxBuffered: number;
  private readonly minPeriod: number;
  private readonly maxPeriod: number;
  private readonly buffer: Outgoing[] = [];
  private head = 0;
  private waitingDrain = false;
  private everConnected = false;
  /** Markets (and 'all' for the insurance fund) whose messages were dropped: resnapshot them. */
  private readonly marked = new Set<string>();
  private readonly snapshotSeq = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly hub: MarketDataHub,
    o: BusOptions,
  ) {
    this.format = o.format ?? 'msgpack';
    this.prefix = o.prefix ?? DEFAULT_PREFIX;
    this.qos = { ...DEFAULT_QOS, ...o.qos };
    for (const f of FAMILIES) if (![0, 1, 2].includes(this.qos[f])) throw new RangeError(`mqtt qos of ${f} must be 0, 1 or 2, got ${String(this.qos[f])}`);
    this.options = Object.fromEntries(FAMILIES.map((f) => [f, { qos: this.qos[f], retain: RETAINED.has(f) }])) as Record<Family, PublishOptions>;
    this.maxBuffered = o.maxBuffered ?? 10_000;
    this.minPeriod = o.reconnectMinMs ?? 250;
    this.maxPeriod = o.reconnectMaxMs ?? 10_000;
    this.client = connect(o.url, { reconnectPeriod: this.minPeriod, connectTimeout: 5_000, queueQoSZero: false, ...o.clientOptions });
    this.client.on('connect', () => this.onConnect());
    this.client.on('close', () => this.onClose());
    // A broker that refuses or vanishes is expected while it is away: counted as drops, never thrown.
    this.client.on('error', () => {});
    hub.tap((m) => this.onMessage(m));
    const every = o.snapshotEveryMs ?? 1_000;
    if (every > 0) {
      this.timer = setInterval(() => this.periodicSnapshots(), every);
      this.timer.unref();
    }
  }

  /** Resolves once connected (or rejects after ms). */
  waitConnected(ms = 5_000): Promise<void> {
    if (this.stats.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`mqtt: not connected after ${ms} ms`)), ms);
      this.client.once('connect', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.client.endAsync();
  }

  private onConnect(): void {
    this.stats.connected = true;
    this.client.options.reconnectPeriod = this.minPeriod;
    if (this.everConnected) this.stats.reconnects++;
    this.everConnected = true;
    // Every market's state (book snapshot, retained families): at first so that subscribers have a
    // snapshot to start from, after a reconnect for whatever they missed meanwhile.
    for (const m of this.hub.markets()) this.marked.add(m);
    this.marked.add(EXCHANGE_WIDE);
    this.pump();
  }

  private onClose(): void {
    this.stats.connected = false;
    this.waitingDrain = false;
    // What waited for the old socket is lost with it.
    for (let i = this.head; i < this.buffer.length; i++) this.stats.dropped++;
    this.buffer.length = 0;
    this.head = 0;
    this.stats.buffered = 0;
    const p = this.client.options.reconnectPeriod ?? this.minPeriod;
    this.client.options.reconnectPeriod = Math.min(this.maxPeriod, Math.max(this.minPeriod, p * 2));
  }

  private onMessage(m: MarketDataMessage): void {
    if (this.stopped) return;
    if (!this.stats.connected || this.stats.buffered >= this.maxBuffered) {
      this.stats.dropped++;
      this.marked.add(m.market);
      return;
    }
    if (m.channel === 'book' && m.type === 'snapshot') this.snapshotSeq.set(m.market, m.seq);
    this.enqueue(m, false);
  }

  /**
   * Publishes a message outside the market-data tree (an operator topic: surveillance alerts) on the same
   * connection and buffer. Like market data it is dropped (counted) while the broker is away or the
   * buffer full: the bus notifies, it does not keep; what must be kept is kept by its owner. False when
   * dropped.
   */
  publishOther(topic: string, payload: Uint8Array, qos: Qos, retain: boolean): boolean {
    if (this.stopped || !this.stats.connected || this.stats.buffered >= this.maxBuffered) {
      this.stats.dropped++;
      return false;
    }
    this.out(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos, retain });
    return true;
  }

  private enqueue(m: MarketDataMessage, resent: boolean): void {
    const family = familyOf(m);
    const bytes = encodePayload(m, this.format);
    if (resent) this.stats.resent++;
    // A Buffer view of the encoder's copy (no second copy): what mqtt-packet writes fastest.
    this.out(this.topic(m.market, family), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), this.options[family]);
  }

  /** Sends now, or behind what the buffer already holds. */
  private out(topic: string, payload: Buffer, options: PublishOptions): void {
    if (this.stats.buffered === 0 && !this.waitingDrain) this.send(topic, payload, options);
    else {
      this.buffer.push({ topic, payload, options });
      this.stats.buffered++;
    }
  }

  private send(topic: string, payload: Buffer, options: PublishOptions): void {
    this.client.publish(topic, payload, options);
    this.stats.published++;
    const stream = this.client.stream as { writableNeedDrain?: boolean; once(e: 'drain', f: () => void): void } | undefined;
    if (stream?.writableNeedDrain && !this.waitingDrain) {
      this.waitingDrain = true;
      stream.once('drain', () => {
        this.waitingDrain = false;
        this.pump();
      });
    }
  }

  /** Sends what the buffer holds while the socket takes it, then resnapshots marked markets. */
  private pump(): void {
    while (this.stats.connected && !this.waitingDrain && this.head < this.buffer.length) {
      const o = this.buffer[this.head++]!;
      this.send(o.topic, o.payload, o.options);
      this.stats.buffered--;
    }
    if (this.head === this.buffer.length) {
      this.buffer.length = 0;
      this.head = 0;
    }
    if (this.stats.connected && this.stats.buffered === 0 && this.marked.size > 0) this.resnapshot();
  }

  private resnapshot(): void {
    // Before a restarting gateway has loaded the books they are not the exchange's: the markets stay
    // marked, and the hub's restore() announces each loaded book as a snapshot.
    if (!this.hub.loaded) return;
    const markets = [...this.marked];
    this.marked.clear();
    for (const market of markets) {
      if (market === EXCHANGE_WIDE) {
        const fund = this.hub.latest('insurance', EXCHANGE_WIDE);
        if (fund) this.enqueue(fund, true);
        continue;
      }
      const snap = this.hub.snapshot(market);
      if (!snap) continue;
      this.snapshotSeq.set(market, snap.seq);
      this.enqueue(snap, true);
      for (const c of RETAINED_CHANNELS) {
        const last = this.hub.latest(c, market);
        if (last) this.enqueue(last, true);
      }
    }
  }

  private periodicSnapshots(): void {
    if (!this.stats.connected || !this.hub.loaded) return;
    for (const market of this.hub.markets()) {
      const snap = this.hub.snapshot(market)!;
      if (this.snapshotSeq.get(market) === snap.seq) continue;
      this.snapshotSeq.set(market, snap.seq);
      this.enqueue(snap, false);
    }
  }

  private topic(market: string, family: Family): string {
    let byFamily = this.topics.get(market);
    if (!byFamily) this.topics.set(market, (byFamily = new Map()));
    let t = byFamily.get(family);
    if (t === undefined) byFamily.set(family, (t = topicOf(market, family, this.prefix)));
    return t;
  }

  /** Removes this publisher's retained messages from the broker (an empty retained message per topic). */
  async clearRetained(): Promise<void> {
    const topics = [...this.topics.values()].flatMap((m) => [...m].filter(([f]) => RETAINED.has(f)).map(([, t]) => t));
    await Promise.all(topics.map((t) => this.client.publishAsync(t, Buffer.alloc(0), { qos: 1, retain: true })));
  }
}
