// The once-a-second status of a running exchange driven by the demo driver, and the what-if stress line:
// figures a newcomer reads at a glance (rates, prices, rejections by code), one line each.

import { codeName } from '../../engine/codes.js';
import type { MarketSpec } from '../../engine/market/spec.js';
import type { ShockReport } from '../../risk/stress/shock-scanner.js';
import type { Tally } from '../demo-driver.js';
import { usdt } from './render-view.js';


export const copyTally = (t: Tally): Tally => ({ ...t, rejected: new Map(t.rejected), lastTradeTicks: new Map(t.lastTradeTicks), markTicks: new Map(t.markTicks) });

export function statusLine(t: Tally, last: Tally, seconds: number, specs: Iterable<MarketSpec>, shardInputs: readonly number[]): string {
  const per = (a: number, b: number) => Math.round((a - b) / seconds).toLocaleString('en-US');
  const prices = [...specs]
    .map((s) => `${s.symbol} mark ${t.markTicks.has(s.marketId) ? s.ticksToPrice(t.markTicks.get(s.marketId)!) : '-'} last ${t.lastTradeTicks.has(s.marketId) ? s.ticksToPrice(t.lastTradeTicks.get(s.marketId)!) : '-'}`)
    .join(' · ');
  const rejects = [...t.rejected]
    .filter(([code, n]) => n !== (last.rejected.get(code) ?? 0))
    .map(([code, n]) => `${codeName(code)}×${n - (last.rejected.get(code) ?? 0)}`)
    .join(' ');
  return (
    `in ${per(t.offered, last.offered)}/s · events ${per(t.events, last.events)}/s · trades ${per(t.trades, last.trades)}/s · ${prices} · shard inputs ${shardInputs.join('/')}` +
    `${t.backPressure > last.backPressure ? ` · back-pressure ${t.backPressure - last.backPressure}` : ''}${rejects ? ` · rejected ${rejects}` : ''}`
  );
}

export function stressLine(r: ShockReport): string {
  return (
    `stress over ${r.scopes.toLocaleString('en-US')} scopes: ` +
    r.outcomes.map((o) => `${o.shock.name} → ${o.liquidatable} liquidatable, ${o.bankrupt} bankrupt, deficit ${usdt(o.deficitAtoms)} USDT, uncovered ${usdt(o.uncoveredAtoms)}`).join(' · ') +
    ` (fund ${usdt(r.outcomes[0]?.insuranceFundAtoms ?? 0n)} USDT)`
  );
}
