// Venue-level integrity statistics over the prints, per market per UTC day (Cong, Li, Tang, Yang, "Crypto
// Wash Trading", 2021): the first-digit distribution of trade sizes against Benford's law, the clustering
// of sizes at round numbers, and the power-law exponent of the size tail. Fed every trade by the
// surveillance engine; a day's report is produced when the market's first trade of the next day arrives
// (time is the records'), or on demand for the day so far.

import { benford, firstDigit, type BenfordResult } from './benford.js';
import { RoundSizeCounts } from './round-sizes.js';
import { TopSizes } from './tail-exponent.js';

export const DAY_US = 86_400_000_000;

export interface IntegrityReport {
  marketId: number;
  /** Days since the epoch (UTC). */
  day: number;
  trades: number;
  /** Traded lots, exact (bigint would be needed past 2^53 lots a day; checked). */
  lots: number;
  benford: BenfordResult;
  roundSizes: ReturnType<RoundSizeCounts['report']>;
  tail: { alphaMilli: number; k: number };
}

export class IntegrityStats {
  private day = -1;
  private digits = new Array<number>(10).fill(0);
  private round = new RoundSizeCounts();
  private top = new TopSizes();
  private trades = 0;
  private lots = 0;

  constructor(
    readonly marketId: number,
    private readonly onReport: (r: IntegrityReport) => void,
  ) {}

  trade(timeUs: number, qtyLots: number): void {
    const day = Math.floor(timeUs / DAY_US);
    if (day !== this.day) {
      if (this.day >= 0 && this.trades > 0) this.onReport(this.report());
      this.reset(day);
    }
    this.trades++;
    this.lots += qtyLots;
    if (!Number.isSafeInteger(this.lots)) throw new RangeError(`market ${this.marketId}: a day's lots passed 2^53`);
    this.digits[firstDigit(qtyLots)]!++;
    this.round.add(qtyLots);
    this.top.add(qtyLots);
  }

  /** The statistics of the day so far. */
  report(): IntegrityReport {
    return { marketId: this.marketId, day: this.day, trades: this.trades, lots: this.lots, benford: benford(this.digits), roundSizes: this.round.report(), tail: this.top.hill() };
  }

  private reset(day: number): void {
    this.day = day;
    this.digits = new Array<number>(10).fill(0);
    this.round = new RoundSizeCounts();
    this.top = new TopSizes();
    this.trades = 0;
    this.lots = 0;
  }
}
