// The ring tracer's thread (ring-trace.ts): watches the cursors of every ring of a threaded exchange and
// the durable watermark, and stamps each place order at every hop it can see from outside the threads:
//
//   g2r  PlaceOrder in the gateway → risk ring: published (the gateway's flush), released (risk handled it)
//   r2m  PlaceOrder in risk → market ring: published by risk, released by the market shard
//   m2g  its OrderAccepted / OrderRejected in market → gateway ring: published, released (the gateway's
//        poll took it: with a journal only once it is inside the durable cut)
//   tap  (durable) the risk shard's and the market shard's copies of the order in their tap rings:
//        published by the shard, released by the journal writer (taken into a batch); `cut` is when the
//        watermark first covered the market shard's copy (the batch holding it synced)
//
// Time is process.hrtime (one monotonic clock for every thread of the process) shifted onto the gateway's
// clock by an offset the main thread measured, so stamps compare with the records' timeUs (the gateway's
// offer) and with rx / tx of the responses. Between polls the thread sleeps ~20 µs (Atomics.wait); the
// gaps between its polls are kept, since a stamp is only as exact as the gap before it. Bench-only: no
// shard knows it exists, and it only reads shared memory.

import { parentPort, workerData } from 'node:worker_threads';
import { RECORD_BYTES } from '../../engine/ring/record.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX } from '../../engine/ring/ring-buffer-descriptor.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { RecordType } from '../../engine/ring/types.js';

export interface RingTraceData {
  /** Gateway clock µs minus hrtime µs, measured on the main thread. */
  offsetUs: number;
  g2r: SharedArrayBuffer[];
  r2m: SharedArrayBuffer[];
  m2g: SharedArrayBuffer[];
  /** Durable only: the tap rings by journal shard index (market 0..S-1, risk S..), and the watermark. */
  taps: SharedArrayBuffer[];
  watermark?: SharedArrayBuffer;
  marketShards: number;
  /** Word 0: dump requests (bumped by the main thread); word 1: stop. */
  control: SharedArrayBuffer;
}

/** One order's stamps (gateway clock, µs; 0 = not seen). */
export interface OrderStamps {
  orderId: number;
  /** The record's timeUs: when the gateway offered it. */
  offer: number;
  g2rPub: number;
  g2rCon: number;
  r2mPub: number;
  r2mCon: number;
  m2gPub: number;
  m2gCon: number;
  riskTapPub: number;
  riskTapCon: number;
  mktTapPub: number;
  mktTapCon: number;
  cut: number;
  /** The market shard's tap position of its copy, until the cut covers it. */
  mktTapPos: number;
  mktShard: number;
}

const data = workerData as RingTraceData;
const control = new Int32Array(data.control);
const ORDER_ID = 32;
const hrUs = () => Number(process.hrtime.bigint() / 1000n) + data.offsetUs;

interface Watched {
  ring: RingBuffer;
  pubAt: Float64Array;
  lastP: number;
  lastC: number;
  onPub: (at: number, seq: number, t: number) => void;
  onCon: (at: number, seq: number, t: number, pubT: number) => void;
}

const orders = new Map<number, OrderStamps>();
const order = (id: number, offer: number): OrderStamps => {
  let o = orders.get(id);
  if (o === undefined) {
    o = { orderId: id, offer, g2rPub: 0, g2rCon: 0, r2mPub: 0, r2mCon: 0, m2gPub: 0, m2gCon: 0, riskTapPub: 0, riskTapCon: 0, mktTapPub: 0, mktTapCon: 0, cut: 0, mktTapPos: -1, mktShard: -1 };
    orders.set(id, o);
  }
  return o;
};

function watch(sab: SharedArrayBuffer, onPub: Watched['onPub'], onCon: Watched['onCon']): Watched {
  const ring = RingBuffer.attach(sab);
  return {
    ring,
    pubAt: new Float64Array(ring.capacity),
    lastP: Atomics.load(ring.header, PRODUCER_CURSOR_INDEX),
    lastC: Atomics.load(ring.header, CONSUMER_CURSOR_INDEX),
    onPub,
    onCon,
  };
}

const isPlace = (r: RingBuffer, at: number) => r.records.type(at) === RecordType.PlaceOrder;
const isAnswer = (r: RingBuffer, at: number) => {
  const ty = r.records.type(at);
  return ty === RecordType.OrderAccepted || ty === RecordType.OrderRejected;
};
type Stamp = 'g2rPub' | 'g2rCon' | 'r2mPub' | 'r2mCon' | 'm2gPub' | 'm2gCon';
const watched: Watched[] = [];
/** Watches rings whose records of interest (`is`) carry the order id: their publish and release stamp `pub` and `con` (the first time). */
function watchOrders(sabs: SharedArrayBuffer[], is: (r: RingBuffer, at: number) => boolean, pub: Stamp, con: Stamp): void {
  for (const sab of sabs) {
    const stamp = (field: Stamp) => (at: number, _s: number, t: number) => {
      if (is(w.ring, at)) order(w.ring.records.u53At(at, ORDER_ID), w.ring.records.timeUs(at))[field] ||= t;
    };
    const w: Watched = watch(sab, stamp(pub), stamp(con));
    watched.push(w);
  }
}
watchOrders(data.g2r, isPlace, 'g2rPub', 'g2rCon');
watchOrders(data.r2m, isPlace, 'r2mPub', 'r2mCon');
watchOrders(data.m2g, isAnswer, 'm2gPub', 'm2gCon');
/** Per market shard: [tap position, order] copies not yet inside the cut, oldest first. */
const uncut: OrderStamps[][] = Array.from({ length: data.marketShards }, () => []);
data.taps.forEach((sab, x) => {
  const market = x < data.marketShards;
  const w: Watched = watch(
    sab,
    (at, seq, t) => {
      if (!isPlace(w.ring, at)) return;
      const o = order(w.ring.records.u53At(at, ORDER_ID), w.ring.records.timeUs(at));
      if (market) {
        o.mktTapPub = t;
        o.mktTapPos = seq;
        o.mktShard = x;
        uncut[x]!.push(o);
      } else o.riskTapPub = t;
    },
    (at, _s, t) => {
      if (!isPlace(w.ring, at)) return;
      const o = order(w.ring.records.u53At(at, ORDER_ID), w.ring.records.timeUs(at));
      if (market) o.mktTapCon = t;
      else o.riskTapCon = t;
    },
  );
  watched.push(w);
});
const marks = data.watermark ? new Int32Array(data.watermark) : undefined;

// Every ring is watched from its cursors as they are now: the tracer sees what happens from here on.
parentPort!.postMessage('ready');

/** Each watched ring's cursors as this poll read them. */
const consumerAt = new Int32Array(watched.length);
const producerAt = new Int32Array(watched.length);
/** Gaps between this thread's polls, µs (its own resolution). */
const gaps: number[] = [];
const sleep = new Int32Array(new SharedArrayBuffer(4));
let dumps = 0;
let last = hrUs();
while (Atomics.load(control, 1) === 0) {
  // Read before the rings: whatever was released before a dump was asked is then seen by this poll.
  const asked = Atomics.load(control, 0);
  const t = hrUs();
  gaps.push(t - last);
  last = t;
  // Every ring's cursors are read before any is walked, the later hops' rings first (watched holds them
  // in path order, the taps last): a record seen at a later hop passed the earlier ones before that read,
  // so the earlier rings' reads, which follow, see it too and no hop is stamped a poll before the one ahead
  // of it. Read in path order, a place published to r2m and g2r released between the two rings' reads had
  // r2m's publication stamped a poll before g2r's release (the ring-trace test, once in CI). Within a
  // ring the consumer's cursor comes first for the same reason: every record released by c is then
  // published by p, and its release is never stamped before its publication.
  for (let i = watched.length - 1; i >= 0; i--) {
    const h = watched[i]!.ring.header;
    consumerAt[i] = Atomics.load(h, CONSUMER_CURSOR_INDEX);
    producerAt[i] = Atomics.load(h, PRODUCER_CURSOR_INDEX);
  }
  for (let i = 0; i < watched.length; i++) {
    const w = watched[i]!;
    const c = consumerAt[i]!;
    const p = producerAt[i]!;
    for (let s = w.lastP; s !== p; s = (s + 1) | 0) {
      const at = (s & w.ring.mask) * RECORD_BYTES;
      w.pubAt[s & w.ring.mask] = t;
      w.onPub(at, s, t);
    }
    w.lastP = p;
    for (let s = w.lastC; s !== c; s = (s + 1) | 0) {
      const at = (s & w.ring.mask) * RECORD_BYTES;
      w.onCon(at, s, t, w.pubAt[s & w.ring.mask]!);
    }
    w.lastC = c;
  }
  if (marks !== undefined) {
    for (let x = 0; x < uncut.length; x++) {
      const q = uncut[x]!;
      if (q.length === 0) continue;
      const cut = Atomics.load(marks, x);
      let k = 0;
      // A fresh data directory: tap cursor k is journal position k, inside once the cut passes it.
      while (k < q.length && ((cut - q[k]!.mktTapPos) | 0) > 0) q[k++]!.cut = t;
      if (k > 0) q.splice(0, k);
    }
  }
  if (asked !== dumps) {
    dumps = asked;
    // Hand out the orders that have left the exchange (answer released); keep the rest for the next dump.
    const done: OrderStamps[] = [];
    for (const [id, o] of orders) {
      if (o.m2gCon !== 0) {
        done.push(o);
        orders.delete(id);
      }
    }
    parentPort!.postMessage({ orders: done, gaps: gaps.splice(0), offsetUs: data.offsetUs });
  }
  Atomics.wait(sleep, 0, 0, 0.02);
}
