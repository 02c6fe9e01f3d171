// The MQTT market-data topic tree (docs/MARKET-DATA.md, "MQTT bus"), version 1:
//
//   perpx/v1/<market>/<family>      market: the symbol (BTC-PERP); the insurance fund's is 'all'
//
// The first level is configurable (`prefix`, default perpx: several exchanges, or tests, on one broker).
// One family per hub channel, except the book, which has two: `book` (every diff, seq and prevSeq) and
// `book-snapshot` (the whole book, periodically, after a resnapshot, retained). Retained families give a
// new subscriber the latest state at once. QoS is per family and configurable; the defaults keep the book
// families at the same QoS so a broker delivers snapshots and diffs in the order they were published.

import type { Channel, MarketDataMessage } from '../market-data/messages.js';

export const DEFAULT_PREFIX = 'perpx';
const TOPIC_VERSION = 'v1';

export const FAMILIES = ['book', 'book-snapshot', 'trades', 'ticker', 'mark', 'index', 'funding', 'liquidations', 'adl', 'insurance'] as const;
export type Family = (typeof FAMILIES)[number];
export type Qos = 0 | 1 | 2;

export const DEFAULT_QOS: Readonly<Record<Family, Qos>> = {
  book: 0,
  'book-snapshot': 0,
  trades: 0,
  ticker: 0,
  mark: 0,
  index: 0,
  funding: 1,
  liquidations: 1,
  adl: 1,
  insurance: 1,
};

/** Families whose last message the broker keeps for new subscribers. */
export const RETAINED: ReadonlySet<Family> = new Set<Family>(['book-snapshot', 'ticker', 'mark', 'index', 'funding', 'insurance']);

export function topicOf(market: string, family: Family, prefix = DEFAULT_PREFIX): string {
  return `${prefix}/${TOPIC_VERSION}/${market}/${family}`;
}

export function familyOf(m: MarketDataMessage): Family {
  return m.channel === 'book' ? (m.type === 'snapshot' ? 'book-snapshot' : 'book') : (m.channel satisfies Channel);
}

/** The family of a topic of the tree, or undefined for any other topic. */
export function parseTopic(topic: string, prefix = DEFAULT_PREFIX): { market: string; family: Family } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== prefix || parts[1] !== TOPIC_VERSION) return undefined;
  const family = parts[3] as Family;
  return (FAMILIES as readonly string[]).includes(family) ? { market: parts[2]!, family } : undefined;
}
