// The once-a-second status of a running exchange, and the what-if stress line: figures a newcomer reads
// at a glance (rates, prices, refusals by name), one line each.

import type { ShockReport } from '../../risk/stress/shock-scanner.js';
import type { BotTally } from './bots.js';
import type { MarketView } from './market-view.js';
import { usdt } from './render-view.js';

export interface StatusSample {
  readonly sent: number;
  readonly answered: number;
  readonly trades: number;
  readonly refused: ReadonlyMap<string, number>;
}

export function sample(bots: BotTally | undefined, view: MarketView | undefined): StatusSample {
  return { sent: bots?.sent ?? 0, answered: bots?.answered ?? 0, trades: view?.trades ?? 0, refused: new Map(bots?.refused ?? []) };
}

export function statusLine(now: StatusSample, last: StatusSample, seconds: number, view: MarketView | undefined, shardInputs: readonly number[]): string {
  const per = (a: number, b: number) => Math.round((a - b) / seconds).toLocaleString('en-US');
  const prices = [...(view?.markets.values() ?? [])]
    .map((m) => `${m.spec.symbol} mark ${m.markTicks > 0 ? m.spec.ticksToPrice(m.markTicks) : '-'} last ${m.lastTradeTicks > 0 ? m.spec.ticksToPrice(m.lastTradeTicks) : '-'}`)
    .join(' · ');
  const refused = [...now.refused]
    .filter(([name, n]) => n !== (last.refused.get(name) ?? 0))
    .map(([name, n]) => `${name}×${n - (last.refused.get(name) ?? 0)}`)
    .join(' ');
  // Requests, not orders: a market maker holding its 20 quotes cancels the oldest with each new one, so
  // requests run above --rate, which counts the orders placed.
  return `requests ${per(now.sent, last.sent)}/s · answered ${per(now.answered, last.answered)}/s · trades ${per(now.trades, last.trades)}/s${prices ? ` · ${prices}` : ''} · shard inputs ${shardInputs.join('/')}${refused ? ` · refused ${refused}` : ''}`;
}

export function stressLine(r: ShockReport): string {
  return (
    `stress over ${r.scopes.toLocaleString('en-US')} scopes: ` +
    r.outcomes.map((o) => `${o.shock.name} → ${o.liquidatable} liquidatable, ${o.bankrupt} bankrupt, deficit ${usdt(o.deficitAtoms)} USDT, uncovered ${usdt(o.uncoveredAtoms)}`).join(' · ') +
    ` (fund ${usdt(r.outcomes[0]?.insuranceFundAtoms ?? 0n)} USDT)`
  );
}
