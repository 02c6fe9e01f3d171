// The demo's live view as text: one block per market (the top levels of each side with the spread, mark,
// index, funding rate and countdown, open interest, the last trades), then the insurance fund and the
// latest liquidations and ADL. Pure: a MarketView and a time in, lines out (the terminal loop in
// live-view.ts draws them). Numbers are formatted from integers (decimal text from ticks, lots, atoms
// and 10^-8 rates), never through floating point.

import { Side } from '../../engine/enums.js';
import { unitsToDecimal } from '../../engine/market/decimal.js';
import type { MarketState, MarketView } from './market-view.js';

export interface RenderOptions {
  /** Levels per side. */
  readonly depth?: number;
  /** ANSI colours (bids green, asks red). */
  readonly color?: boolean;
}

const BPS_HUNDREDTHS = { mantissa: 1n, scale: 2 } as const;

/** USDT atoms as text with thousands separators and two decimals (truncated towards zero). */
export function usdt(atoms: bigint): string {
  const cents = atoms / 10_000n;
  const neg = cents < 0n;
  const s = unitsToDecimal(neg ? -cents : cents, { mantissa: 1n, scale: 2 });
  const [whole, frac] = s.split('.');
  return (neg ? '-' : '') + whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + frac;
}

/** A funding rate in 10^-8 as a percentage with four decimals, e.g. 10_000 → "0.0100%". */
export function ratePercent(rate: bigint): string {
  // rate · 100 / 10^8 percent = rate / 10^6 percent; four decimals: rate / 100 in units of 10^-4 %.
  const hundredths = rate / 100n;
  const neg = hundredths < 0n;
  return (neg ? '-' : '') + unitsToDecimal(neg ? -hundredths : hundredths, { mantissa: 1n, scale: 4 }) + '%';
}

/** mm:ss (hh:mm:ss past an hour) until a time, "now" once passed. */
export function countdown(untilUs: number, nowUs: number): string {
  if (untilUs <= nowUs) return 'now';
  const s = Math.floor((untilUs - nowUs) / 1_000_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}

function clock(timeUs: number): string {
  return new Date(Math.floor(timeUs / 1000)).toISOString().slice(11, 19);
}

function spreadLine(m: MarketState, bid: number | undefined, ask: number | undefined): string {
  if (bid === undefined || ask === undefined) return 'spread -';
  const d = ask - bid;
  // bps with two decimals: d / mid · 10^4 · 10^2 = d · 2 · 10^6 / (bid + ask), truncated.
  const hundredths = (BigInt(d) * 2_000_000n) / BigInt(bid + ask);
  return `spread ${m.spec.ticksToPrice(d)} (${unitsToDecimal(hundredths, BPS_HUNDREDTHS)} bps)`;
}

export function renderView(view: MarketView, nowUs: number, o: RenderOptions = {}): string[] {
  const depth = o.depth ?? 5;
  const paint = (code: number, s: string) => (o.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const m of view.markets.values()) {
    const s = m.spec;
    const price = (t: number) => (t > 0 ? s.ticksToPrice(t) : '-');
    lines.push(
      `${paint(1, s.symbol)}  mark ${price(m.markTicks)}${m.stale ? ' (index stale)' : ''}  index ${price(m.indexTicks)}  last ${price(m.lastTradeTicks)}  ` +
        `funding ${ratePercent(m.fundingRate)} in ${m.nextFundingUs > 0 ? countdown(m.nextFundingUs, nowUs) : '-'}  OI ${s.lotsToQty(m.openInterestLots)} ${s.baseAsset}`,
    );
    const bids = m.top('bids', depth);
    const asks = m.top('asks', depth);
    const col = 30;
    lines.push(`  ${'bids'.padEnd(col)}asks`);
    for (let i = 0; i < depth; i++) {
      const b = bids[i];
      const a = asks[i];
      const bt = b ? `${s.ticksToPrice(b.priceTicks).padStart(10)} ${s.lotsToQty(b.qtyLots).padStart(10)} (${b.orders})` : '';
      const at = a ? `${s.ticksToPrice(a.priceTicks).padStart(10)} ${s.lotsToQty(a.qtyLots).padStart(10)} (${a.orders})` : '';
      lines.push(`  ${paint(32, bt.padEnd(col))}${paint(31, at)}`);
    }
    lines.push(`  ${spreadLine(m, bids[0]?.priceTicks, asks[0]?.priceTicks)}`);
    const trades = m.trades.slice(0, 4).map((t) => `${clock(t.timeUs)} ${t.takerSide === Side.BUY ? paint(32, 'buy ') : paint(31, 'sell')} ${s.lotsToQty(t.qtyLots)} @ ${s.ticksToPrice(t.priceTicks)}`);
    lines.push(`  trades: ${trades.length ? trades.join(' · ') : '-'}`);
    lines.push('');
  }
  lines.push(`insurance fund ${usdt(view.insuranceFundAtoms)} USDT · liquidations ${view.liquidations} · ADL ${view.adl}`);
  for (const e of view.riskEvents) {
    const m = view.markets.get(e.marketId);
    const what = e.kind === 'adl' ? paint(35, 'ADL        ') : paint(33, 'liquidation');
    if (!m) {
      lines.push(`  ${clock(e.timeUs)} ${what} account ${e.accountId} triggered (cross margin)`);
      continue;
    }
    lines.push(`  ${clock(e.timeUs)} ${what} ${m?.spec.symbol ?? e.marketId} account ${e.accountId} ${m ? m.spec.lotsToQty(e.qtyLots) : e.qtyLots} @ ${m && e.priceTicks > 0 ? m.spec.ticksToPrice(e.priceTicks) : '-'}`);
  }
  return lines;
}
