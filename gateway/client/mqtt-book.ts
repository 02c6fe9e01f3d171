// MqttBookFollower: the example MQTT subscriber (docs/MARKET-DATA.md): rebuilds one market's book from
// the bus's `book-snapshot` (retained) and `book` (diffs) topics with BookSync. A new subscriber gets
// the retained snapshot at once; a gap in the diffs (a QoS 0 message the broker dropped, a reconnect of
// either side) makes it wait for the next snapshot the exchange publishes (periodically, and after every
// resnapshot), while it keeps buffering diffs. Snapshots are ignored while the book is in sync.

import type { MqttClient } from 'mqtt';
import type { LevelTuple } from '../market-data/l2-book.js';
import type { BookDiff, BookSnapshot, MarketDataMessage } from '../market-data/messages.js';
import { decodePayload, type PayloadFormat } from '../bus/payload.js';
import { DEFAULT_PREFIX, topicOf } from '../bus/topics.js';
import { BookSync, perpxDiff, perpxSnapshot } from './book-sync.js';

export class MqttBookFollower {
  readonly sync = new BookSync();
  readonly snapshotTopic: string;
  readonly diffTopic: string;
  /** Messages that were not a book message of this market (a foreign publisher on the topic). */
  ignored = 0;
  private readonly listener: (topic: string, payload: Buffer) => void;

  constructor(
    readonly client: MqttClient,
    readonly market: string,
    private readonly format: PayloadFormat = 'msgpack',
    prefix = DEFAULT_PREFIX,
  ) {
    this.snapshotTopic = topicOf(market, 'book-snapshot', prefix);
    this.diffTopic = topicOf(market, 'book', prefix);
    this.listener = (topic, payload) => this.onMessage(topic, payload);
    client.on('message', this.listener);
    // A dropped connection loses diffs: the book is not trusted until the next snapshot.
    client.on('close', () => this.sync.synced && this.sync.reset());
  }

  /** Subscribes both topics (the snapshot's retained message comes at once, if there is one). */
  async start(): Promise<void> {
    await this.client.subscribeAsync([this.diffTopic, this.snapshotTopic], { qos: 0 });
  }

  async stop(): Promise<void> {
    this.client.off('message', this.listener);
    await this.client.unsubscribeAsync([this.diffTopic, this.snapshotTopic]);
  }

  get bids(): LevelTuple[] {
    return this.sync.book.topBids(Infinity);
  }

  get asks(): LevelTuple[] {
    return this.sync.book.topAsks(Infinity);
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic !== this.diffTopic && topic !== this.snapshotTopic) return;
    let m: MarketDataMessage;
    try {
      m = decodePayload(payload, this.format);
    } catch {
      this.ignored++;
      return;
    }
    if (m.channel !== 'book' || m.market !== this.market) {
      this.ignored++;
      return;
    }
    if (m.type === 'snapshot') {
      if (!this.sync.synced) this.sync.onSnapshot(perpxSnapshot(m as BookSnapshot));
    } else this.sync.onDiff(perpxDiff(m as BookDiff));
  }
}
