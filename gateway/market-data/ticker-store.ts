// TickerStore: the 24 h tickers' minute buckets in the gateway's store, so a restarted gateway's ticker
// states the same 24 h as before (docs/ARCHITECTURE.md, "Read models after a restart").
//
//   'T' marketId(u32) minute(u64) → msgpack [open, high, low, close, volume, quote, count, lastUs]
//                                    (ticks, lots as a decimal string, notional in tick·lots as a decimal
//                                    string, trades, µs: integers only)
//
// The hub hands it a market's newest bucket after each poll whose trades changed it, in the gateway's
// write batch (unsynced, like the idempotency records: a killed gateway loses at most its last unwritten
// batches). Writing the open minute, not only closed ones, means a restart loses none of it; a market's
// next write waits for its last one to be in the store (the later value of a minute must win; one put of
// a minute at a time), taking the minute's newest value then. A bucket that
// leaves the window is deleted when a later minute is first written; load() reads every bucket (at most
// 1,440 a market), keeps the window of each market's newest and deletes what is older.

import { Decoder, Encoder } from '@msgpack/msgpack';
import type { Store } from '../../persistence/store.js';
import { Family, familyRange, pairKey, readU32, readU64 } from '../auth/gateway-keys.js';
import type { StoreBatcher } from '../orders/store-batcher.js';
import { WINDOW_MINUTES, type Bucket } from './ticker.js';

type Stored = [number, number, number, number, string, string, number, number];

const encoder = new Encoder();
const decoder = new Decoder();

export class TickerStore {
  /** Per market: the minutes in the store, oldest first. */
  private readonly minutes = new Map<number, number[]>();
  /** Minutes (keyOf) with a write in flight, and the bucket to write once it is in (if it changed meanwhile). */
  private readonly writing = new Map<number, Readonly<Bucket> | undefined>();

  private constructor(private readonly batcher: StoreBatcher) {}

  /** Reads every stored bucket; resolves with the store and each market's buckets, oldest first. */
  static async open(store: Store, batcher: StoreBatcher): Promise<{ tickers: TickerStore; buckets: Map<number, Bucket[]> }> {
    const t = new TickerStore(batcher);
    const byMarket = new Map<number, Bucket[]>();
    for await (const e of store.scan(familyRange(Family.TICKER_MINUTE))) {
      const marketId = readU32(e.key, 1);
      const [open, high, low, close, volume, quote, count, lastUs] = decoder.decode(e.value) as Stored;
      let list = byMarket.get(marketId);
      if (list === undefined) byMarket.set(marketId, (list = []));
      list.push({ minute: readU64(e.key, 5), open, high, low, close, volume: BigInt(volume), quote: BigInt(quote), count, lastUs });
    }
    for (const [marketId, list] of byMarket) {
      const first = list[list.length - 1]!.minute - WINDOW_MINUTES + 1;
      let keep = 0;
      while (list[keep]!.minute < first) batcher.delLater(pairKey(Family.TICKER_MINUTE, marketId, list[keep++]!.minute));
      list.splice(0, keep);
      t.minutes.set(marketId, list.map((b) => b.minute));
    }
    return { tickers: t, buckets: byMarket };
  }

  /** Stores a market's bucket (again, when trades changed it since). */
  write(marketId: number, b: Readonly<Bucket>): void {
    const key = marketId * 2 ** 32 + b.minute;
    if (this.writing.has(key)) {
      this.writing.set(key, { ...b });
      return;
    }
    this.writing.set(key, undefined);
    const stored: Stored = [b.open, b.high, b.low, b.close, b.volume.toString(), b.quote.toString(), b.count, b.lastUs];
    const next = () => {
      const waiting = this.writing.get(key);
      this.writing.delete(key);
      if (waiting !== undefined) this.write(marketId, waiting);
    };
    this.batcher.put(pairKey(Family.TICKER_MINUTE, marketId, b.minute), encoder.encode(stored)).then(next, next);
    let minutes = this.minutes.get(marketId);
    if (minutes === undefined) this.minutes.set(marketId, (minutes = []));
    if (minutes[minutes.length - 1] === b.minute) return;
    minutes.push(b.minute);
    const first = b.minute - WINDOW_MINUTES + 1;
    while (minutes[0]! < first) this.batcher.delLater(pairKey(Family.TICKER_MINUTE, marketId, minutes.shift()!));
  }
}
