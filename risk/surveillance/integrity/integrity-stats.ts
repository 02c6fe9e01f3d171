// Venue-level integrity statistics over the prints, per market per UTC day (Cong, Li, Tang, Yang, "Crypto
// Wash Trading", 2021): the first-digit distribution of trade sizes against Benford's law, the clustering
// of sizes at round numbers, and the power-law exponent of the size tail. Fed every trade by the
// surveillance engine; a day's report is produced when the market's first trade of the next day arrives
// (time is the records'), the day so far each time a trade is the first of a new period (a minute by
// default: operators see today's figures, not only yesterday's), or on demand. Every report comes from
// the market's own trades alone, so a replay of its stream gives the same reports.
//
// A trade of fewer than SMALL_LOTS lots (nearly all of them) is only counted in a histogram by size; its
// first digit and round-size class are added from the histogram when a report is made, once per size
// rather than once per trade (the six remainders of the round-size test per trade were a tenth of the
// surveillance engine's time). The counts are sums either way, so the report is the same.

import { benford, firstDigit, type BenfordResult } from './benford.js';
import { RoundSizeCounts } from './round-sizes.js';
import { TopSizes } from './tail-exponent.js';

export const DAY_US = 86_400_000_000;
/** How often the day so far is reported by default (µs of market time). */
const INTEGRITY_EVERY_US = 60_000_000;
/** Trade sizes below this are counted by size and classified when a report is made. */
const SMALL_LOTS = 4_096;

export interface IntegrityReport {
  marketId: number;
  /** Days since the epoch (UTC). */
  day: number;
  /** True for the whole day; false for the day so far (a later report of the day replaces it). */
  complete: boolean;
  /** The report counts the day's trades before this time (µs): the day's end when complete. */
  untilUs: number;
  trades: number;
  /** Traded lots, exact (bigint would be needed past 2^53 lots a day; checked). */
  lots: number;
  benford: BenfordResult;
  roundSizes: ReturnType<RoundSizeCounts['report']>;
  tail: { alphaMilli: number; k: number };
}

export class IntegrityStats {
  private day = -1;
  /** The next period's start: the first trade at or after it reports the day so far first. */
  private nextReportUs = 0;
  private digits = new Array<number>(10).fill(0);
  private round = new RoundSizeCounts();
  private top = new TopSizes();
  private trades = 0;
  private lots = 0;
  /** Trades of the day by size, for sizes below SMALL_LOTS (their digits and round sizes are not counted yet). */
  private small = new Uint32Array(SMALL_LOTS);

  constructor(
    readonly marketId: number,
    private readonly onReport: (r: IntegrityReport) => void,
    private readonly everyUs = INTEGRITY_EVERY_US,
  ) {}

  trade(timeUs: number, qtyLots: number): void {
    const day = Math.floor(timeUs / DAY_US);
    if (day !== this.day) {
      if (this.day >= 0 && this.trades > 0) this.onReport(this.report(true));
      this.reset(day);
    } else if (timeUs >= this.nextReportUs && this.trades > 0) {
      // Every trade so far came before nextReportUs, so before this trade's period start.
      this.onReport(this.report(false, Math.floor(timeUs / this.everyUs) * this.everyUs));
    }
    if (timeUs >= this.nextReportUs) this.nextReportUs = (Math.floor(timeUs / this.everyUs) + 1) * this.everyUs;
    this.trades++;
    this.lots += qtyLots;
    if (!Number.isSafeInteger(this.lots)) throw new RangeError(`market ${this.marketId}: a day's lots passed 2^53`);
    if (qtyLots < SMALL_LOTS) this.small[qtyLots]!++;
    else {
      this.digits[firstDigit(qtyLots)]!++;
      this.round.add(qtyLots);
    }
    this.top.add(qtyLots);
  }

  /** The statistics of the day so far (complete: the day is over; untilUs: the time they run to). */
  report(complete = false, untilUs = complete ? (this.day + 1) * DAY_US : this.nextReportUs): IntegrityReport {
    const digits = [...this.digits];
    const round = this.round.copy();
    for (let q = 1; q < SMALL_LOTS; q++) {
      const n = this.small[q]!;
      if (n === 0) continue;
      digits[firstDigit(q)]! += n;
      round.add(q, n);
    }
    return { marketId: this.marketId, day: this.day, complete, untilUs, trades: this.trades, lots: this.lots, benford: benford(digits), roundSizes: round.report(), tail: this.top.hill() };
  }

  private reset(day: number): void {
    this.day = day;
    this.digits = new Array<number>(10).fill(0);
    this.round = new RoundSizeCounts();
    this.top = new TopSizes();
    this.small.fill(0);
    this.trades = 0;
    this.lots = 0;
  }
}
