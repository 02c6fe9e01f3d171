// The case report of one alert: a self-contained HTML page (inline style, inline SVG, no script, no
// external resource) that a compliance officer can open, print or attach. The chart shows the market
// around the episode (best bid and ask as step lines, the book when the alert was raised as depth bars)
// with the accounts' orders drawn as their lives in the book (price × time, cancelled ones crossed out)
// and the trades as dots; below it the figures, the orders and trades in input order, the operator actions
// (the audit trail), and the stream range that replays the episode.

import { CancelReason } from '../../engine/enums.js';
import type { Alert, EvidenceOrder } from '../../risk/surveillance/alert.js';
import type { AlertCase } from '../../exchange/surveillance/alert-book.js';
import { escapeXml, SvgChart } from './svg-chart.js';

export interface ReportOptions {
  /** Price ticks as text (a market's ticksToPrice); default the ticks themselves. */
  priceLabel?: (ticks: number) => string;
  qtyLabel?: (lots: number) => string;
  marketName?: string;
}

const BUY = '#1f77b4';
const SELL = '#d62728';
const BID_LINE = 'stroke:#2ca02c;stroke-width:1.5';
const ASK_LINE = 'stroke:#ff7f0e;stroke-width:1.5';

function isoTime(us: number): string {
  return new Date(Math.floor(us / 1_000)).toISOString().replace('Z', `${String(us % 1_000).padStart(3, '0')}Z`);
}

function endLabel(o: EvidenceOrder): string {
  if (o.endedSeq === 0) return 'open';
  if (o.endReason === 0) return 'filled';
  const name = Object.entries(CancelReason).find(([, v]) => v === o.endReason)?.[0] ?? String(o.endReason);
  return name.toLowerCase().replace(/_/g, ' ');
}

function renderChart(a: Alert, o: ReportOptions = {}): string {
  const price = o.priceLabel ?? ((t: number) => String(t));
  const frame = { width: 960, height: 420, left: 90, right: 150, top: 20, bottom: 40 };
  // The episode with a margin before it (a quarter of its length, at least 200 ms): the touch in force
  // then is drawn from the left edge.
  const x0 = a.fromUs - Math.max(200_000, Math.floor((a.toUs - a.fromUs) / 4));
  const x1 = Math.max(a.toUs + Math.max(50_000, Math.floor((a.toUs - a.fromUs) / 20)), x0 + 1);
  const ys: number[] = [];
  for (const t of a.touches) for (const p of [t.bidTicks, t.askTicks]) if (p > 0) ys.push(p);
  for (const x of a.orders) ys.push(x.priceTicks);
  for (const t of a.trades) ys.push(t.priceTicks);
  for (const [p] of [...a.book.bids.slice(0, 5), ...a.book.asks.slice(0, 5)]) ys.push(p);
  const lo = ys.length ? Math.min(...ys) : 0;
  const hi = ys.length ? Math.max(...ys) : 1;
  const pad = Math.max(1, Math.ceil((hi - lo) * 0.08));
  const c = new SvgChart(frame, x0, x1, lo - pad, hi + pad);

  // Axes and grid.
  c.rectPx(frame.left, frame.top, frame.width - frame.left - frame.right, frame.height - frame.top - frame.bottom, 'fill:#fafafa;stroke:#ccc');
  for (let k = 0; k <= 4; k++) {
    const p = Math.round(c.y0 + ((c.y1 - c.y0) * k) / 4);
    c.line(x0, p, x1, p, 'stroke:#e5e5e5');
    c.textPx(frame.left - 6, c.py(p) + 4, price(p), 'font:11px sans-serif;fill:#555', 'end');
  }
  for (let k = 0; k <= 5; k++) {
    const t = Math.round(x0 + ((x1 - x0) * k) / 5);
    c.textPx(c.px(t), frame.height - frame.bottom + 16, `+${((t - x0) / 1e6).toFixed(3)} s`, 'font:11px sans-serif;fill:#555', 'middle');
  }

  // The touch through the episode.
  c.steps(a.touches.filter((t) => t.bidTicks > 0).map((t) => [t.timeUs, t.bidTicks] as [number, number]), x1, BID_LINE);
  c.steps(a.touches.filter((t) => t.askTicks > 0).map((t) => [t.timeUs, t.askTicks] as [number, number]), x1, ASK_LINE);

  // The accounts' orders: a bar from acceptance to end, thicker for larger orders; a cross where cancelled.
  const maxQty = Math.max(1, ...a.orders.map((x) => x.qtyLots));
  for (const x of a.orders) {
    const end = x.endedUs > 0 ? x.endedUs : x1;
    const width = 2 + Math.round((8 * x.qtyLots) / maxQty);
    const color = x.side === 0 ? BUY : SELL;
    c.line(Math.max(x.acceptedUs, x0), x.priceTicks, end, x.priceTicks, `stroke:${color};stroke-width:${width};stroke-opacity:0.75`);
    if (x.endReason === CancelReason.USER || x.endReason === CancelReason.CANCEL_ALL) {
      const px = c.px(end);
      const py = c.py(x.priceTicks);
      c.rectPx(px - 4, py - 4, 8, 8, `fill:none;stroke:${color};stroke-width:2`, `order ${x.orderId} cancelled`);
    }
  }
  // Trades: dots, blue where the taker bought, red where it sold.
  for (const t of a.trades) c.circle(t.timeUs, t.priceTicks, 4, `fill:${t.takerSide === 0 ? BUY : SELL};stroke:#000;stroke-width:0.5`, `trade ${t.tradeId}: ${t.qtyLots} lots at ${price(t.priceTicks)}`);

  // The book when the alert was raised: depth bars beside the plot.
  const depthMax = Math.max(1, ...a.book.bids.map((l) => l[1]), ...a.book.asks.map((l) => l[1]));
  const bx = frame.width - frame.right + 8;
  for (const [p, q] of a.book.bids) if (p >= c.y0 && p <= c.y1) c.rectPx(bx, c.py(p) - 3, (100 * q) / depthMax, 6, 'fill:#2ca02c;fill-opacity:0.6', `bid ${price(p)}: ${q} lots`);
  for (const [p, q] of a.book.asks) if (p >= c.y0 && p <= c.y1) c.rectPx(bx, c.py(p) - 3, (100 * q) / depthMax, 6, 'fill:#ff7f0e;fill-opacity:0.6', `ask ${price(p)}: ${q} lots`);
  c.textPx(bx, frame.top - 6, 'book at alert', 'font:11px sans-serif;fill:#555');

  // Legend.
  const legend: [string, string][] = [
    ['best bid', '#2ca02c'],
    ['best ask', '#ff7f0e'],
    ['buy order / taker buys', BUY],
    ['sell order / taker sells', SELL],
  ];
  legend.forEach(([label, color], i) => {
    c.rectPx(frame.left + 10 + i * 170, frame.height - 14, 10, 10, `fill:${color}`);
    c.textPx(frame.left + 24 + i * 170, frame.height - 5, label, 'font:11px sans-serif;fill:#333');
  });
  return c.render(`${a.detector}, market ${a.marketId}: the book and the accounts' orders around the episode`);
}

function table(head: string[], rows: (string | number)[][]): string {
  const th = head.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((x) => `<td>${escapeXml(String(x))}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

export function renderCaseReport(c: AlertCase, o: ReportOptions = {}): string {
  const a = c.alert;
  const price = o.priceLabel ?? ((t: number) => String(t));
  const qty = o.qtyLabel ?? ((l: number) => String(l));
  const side = (s: number) => (s === 0 ? 'buy' : 'sell');
  const orders = table(
    ['order', 'account', 'side', 'price', 'quantity', 'filled', 'accepted (seq)', 'ended (seq)', 'end'],
    a.orders.map((x) => [x.orderId, x.accountId, side(x.side), price(x.priceTicks), qty(x.qtyLots), qty(x.filledLots), `${isoTime(x.acceptedUs)} (${x.acceptedSeq})`, x.endedSeq ? `${isoTime(x.endedUs)} (${x.endedSeq})` : '', endLabel(x)]),
  );
  const trades = table(
    ['trade', 'seq', 'time', 'price', 'quantity', 'taker', 'maker', 'taker side'],
    a.trades.map((t) => [t.tradeId, t.seq, isoTime(t.timeUs), price(t.priceTicks), qty(t.qtyLots), `${t.takerAccountId} (order ${t.takerOrderId})`, `${t.makerAccountId} (order ${t.makerOrderId})`, side(t.takerSide)]),
  );
  const figures = table(['figure', 'value'], Object.entries(a.figures).map(([k, v]) => [k, v]));
  const actions = c.actions.length ? table(['#', 'time', 'operator', 'action', 'note'], c.actions.map((x) => [x.n, isoTime(x.atUs), x.operator, x.kind, x.note])) : '<p>No operator action yet.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Surveillance case ${escapeXml(a.id)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.meta{color:#555}.score{font-weight:600}
table{border-collapse:collapse;margin:4px 0;font-size:12px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left}th{background:#f3f3f3}
code{background:#f3f3f3;padding:1px 4px}
</style></head><body>
<h1>${escapeXml(a.detector)} · ${escapeXml(o.marketName ?? `market ${a.marketId}`)} · accounts ${escapeXml(a.accounts.join(', '))}</h1>
<p class="meta">Alert <code>${escapeXml(a.id)}</code> · score <span class="score">${a.score}</span> / 10000 · status ${escapeXml(c.status)} · ${escapeXml(isoTime(a.fromUs))} to ${escapeXml(isoTime(a.toUs))}</p>
<p>${escapeXml(a.summary)}</p>
${renderChart(a, o)}
<h2>Figures</h2>${figures}
<h2>Orders</h2>${orders}
<h2>Trades</h2>${trades}
<h2>Operator actions</h2>${actions}
<h2>Replay</h2><p>The episode is records ${a.fromSeq} to ${a.toSeq} of surveillance input stream ${a.stream} (market shard ${a.stream - 1}). Replaying that stream from its start to record ${a.toSeq} through the surveillance engine raises this alert again, with this id.</p>
</body></html>
`;
}
