// Book-sync conformance on a real recording: 30 s of Binance USDⓈ-M (test/fixtures/venues/PROVENANCE.md),
// a REST depth snapshot per symbol taken while the diff stream ran. BookSync (gateway/client/book-sync.ts)
// is the procedure a Binance client follows; on this recording it must choose the same first diff as
// Binance's own rule (U ≤ lastUpdateId ≤ u after dropping u < lastUpdateId), see no gap (every pu is the
// previous u), never cross the book, and agree with every bookTicker that reports the state right after
// a diff it applied. The same class follows perpx's stream in hub-book.test.ts.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BookSync, type SyncDiff } from '../../../gateway/client/book-sync.js';
import type { LevelTuple } from '../../../gateway/market-data/l2-book.js';
import { fixture } from '../../support/paths.js';

/** Decimal text → integer units of 10^-5, exactly (prices and sizes of these four symbols have ≤ 5 decimals). */
function units(text: string): number {
  const [int, frac = ''] = text.split('.');
  assert.ok(frac.length <= 5 && /^\d+$/.test(int!) && /^\d*$/.test(frac), text);
  const v = Number(int) * 1e5 + Number(frac.padEnd(5, '0'));
  assert.ok(Number.isSafeInteger(v), text);
  return v;
}
const levels = (rows: [string, string][]): LevelTuple[] => rows.map(([p, q]) => [units(p), units(q), 0]);

interface Depth { U: number; u: number; pu: number; b: [string, string][]; a: [string, string][] }
interface Ticker { u: number; b: string; B: string; a: string; A: string }
type Event = { at: number; kind: 'depth'; d: Depth } | { at: number; kind: 'ticker'; t: Ticker } | { at: number; kind: 'snapshot'; id: number; bids: LevelTuple[]; asks: LevelTuple[] };

function recording(): Map<string, Event[]> {
  const bySymbol = new Map<string, Event[]>();
  const push = (symbol: string, e: Event) => {
    if (!bySymbol.has(symbol)) bySymbol.set(symbol, []);
    bySymbol.get(symbol)!.push(e);
  };
  for (const line of readFileSync(fixture('venues', 'BINANCE_FUTURES.http.0.0'), 'utf8').split('\n')) {
    const m = /symbol=([A-Z]+)&limit=\d+ -> ([\d.]+): (.*)$/.exec(line);
    if (!m) continue;
    const body = JSON.parse(m[3]!) as { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
    push(m[1]!, { at: Number(m[2]), kind: 'snapshot', id: body.lastUpdateId, bids: levels(body.bids), asks: levels(body.asks) });
  }
  for (const line of readFileSync(fixture('venues', 'BINANCE_FUTURES.ws.1.0'), 'utf8').split('\n')) {
    const m = /^([\d.]+): (\{.*\})$/.exec(line);
    if (!m) continue;
    const frame = JSON.parse(m[2]!) as { data: { e: string; s: string } & Depth & Ticker };
    const d = frame.data;
    if (d.e === 'depthUpdate') push(d.s, { at: Number(m[1]), kind: 'depth', d });
    else if (d.e === 'bookTicker') push(d.s, { at: Number(m[1]), kind: 'ticker', t: d });
  }
  for (const events of bySymbol.values()) events.sort((x, y) => x.at - y.at);
  return bySymbol;
}

const diff = (d: Depth): SyncDiff => ({ prev: d.pu, last: d.u, bids: levels(d.b), asks: levels(d.a) });

test('on the real Binance USD-M recording the procedure picks Binance\'s first diff, sees no gap and matches every bookTicker', () => {
  const symbols = recording();
  assert.deepEqual([...symbols.keys()].sort(), ['AKROUSDT', 'CTKUSDT', 'KEEPUSDT', 'SUSHIUSDT']);
  let tickersChecked = 0;
  let diffsApplied = 0;
  for (const [symbol, events] of symbols) {
    const snapshot = events.find((e) => e.kind === 'snapshot');
    assert.ok(snapshot && snapshot.kind === 'snapshot', symbol);
    // Binance's rule, literally, over the diffs as they came.
    const depths = events.flatMap((e) => (e.kind === 'depth' ? [e.d] : []));
    const kept = depths.filter((d) => d.u >= snapshot.id);
    const binanceFirst = kept[0]!;
    assert.ok(binanceFirst.U <= snapshot.id && snapshot.id <= binanceFirst.u, `${symbol}: the recording bridges its snapshot`);
    assert.ok(depths.some((d) => d.u < snapshot.id), `${symbol}: some diffs predate the snapshot and must be dropped`);

    const sync = new BookSync(() => assert.fail(`${symbol}: no resync on a recording without gaps`));
    // bookTickers by update id: one whose u is the last update of a diff reports the book right after it.
    const tickers = new Map(events.flatMap((e) => (e.kind === 'ticker' ? [[e.t.u, e.t] as const] : [])));
    for (const e of events) {
      if (e.kind === 'snapshot') sync.onSnapshot({ id: e.id, bids: e.bids, asks: e.asks });
      else if (e.kind === 'depth') {
        sync.onDiff(diff(e.d));
        if (!sync.synced) continue;
        const bid = sync.book.bestBid();
        const ask = sync.book.bestAsk();
        assert.ok(bid > 0 && ask > 0 && bid < ask, `${symbol} u=${e.d.u}: crossed or empty (${bid} / ${ask})`);
        const t = tickers.get(e.d.u);
        if (t) {
          const [b] = sync.book.topBids(1);
          const [a] = sync.book.topAsks(1);
          assert.deepEqual([b![0], b![1], a![0], a![1]], [units(t.b), units(t.B), units(t.a), units(t.A)], `${symbol} bookTicker u=${t.u}`);
          tickersChecked++;
        }
      }
    }
    assert.deepEqual(sync.bridges, [binanceFirst.u], `${symbol}: the first diff applied is Binance's`);
    assert.equal(sync.stats.gaps, 0);
    assert.equal(sync.stats.applied, kept.length, `${symbol}: every diff from the bridge on is applied`);
    assert.equal(sync.stats.dropped, depths.length - kept.length);
    diffsApplied += sync.stats.applied;
  }
  assert.ok(diffsApplied > 500, `${diffsApplied} diffs applied`);
  console.log(`# ${tickersChecked} bookTickers checked`);
  assert.ok(tickersChecked > 20, `${tickersChecked} bookTickers checked`);
});

test('the procedure detects a gap cut into the real stream and recovers with a later snapshot', () => {
  const events = recording().get('SUSHIUSDT')!;
  const snapshot = events.find((e) => e.kind === 'snapshot')!;
  assert.ok(snapshot.kind === 'snapshot');
  const depths = events.flatMap((e) => (e.kind === 'depth' && e.at > snapshot.at ? [e.d] : []));
  const resyncs: string[] = [];
  const sync = new BookSync((reason) => resyncs.push(reason));
  sync.onSnapshot({ id: snapshot.id, bids: snapshot.bids, asks: snapshot.asks });
  // Diffs after the snapshot, with one lost in the middle: the next one's pu is not the last u.
  const cut = 40;
  for (const d of depths.slice(0, cut)) sync.onDiff(diff(d));
  assert.ok(sync.synced);
  for (const d of depths.slice(cut + 1, cut + 5)) sync.onDiff(diff(d));
  assert.deepEqual(resyncs, ['gap']);
  assert.equal(sync.synced, false, 'not in sync until a new snapshot');
  // The old snapshot is too old for the buffered diffs (their pu lies past it): refused as stale.
  sync.onSnapshot({ id: snapshot.id, bids: snapshot.bids, asks: snapshot.asks });
  assert.deepEqual(resyncs, ['gap', 'stale-snapshot']);
  // A snapshot rebuilt at the cut (the book the recording reached there) bridges them again.
  const ref = new BookSync();
  ref.onSnapshot({ id: snapshot.id, bids: snapshot.bids, asks: snapshot.asks });
  for (const d of depths.slice(0, cut + 1)) ref.onDiff(diff(d));
  sync.onSnapshot({ id: ref.lastId!, bids: ref.book.topBids(Infinity), asks: ref.book.topAsks(Infinity) });
  for (const d of depths.slice(cut + 1, cut + 5)) ref.onDiff(diff(d));
  assert.equal(sync.lastId, ref.lastId, 'the buffered diffs applied on the new snapshot');
  for (const d of depths.slice(cut + 5)) {
    sync.onDiff(diff(d));
    ref.onDiff(diff(d));
  }
  assert.ok(depths.length > cut + 50);
  assert.equal(sync.synced, true);
  assert.deepEqual(sync.book.topBids(Infinity), ref.book.topBids(Infinity));
  assert.deepEqual(sync.book.topAsks(Infinity), ref.book.topAsks(Infinity));
});
