// Clustering of trade sizes at round numbers (Cong et al., "Crypto Wash Trading": genuine traders favour
// round sizes, so a venue's sizes should bunch at round numbers; fabricated sizes drawn by a program
// often do not, or bunch in odd ways). For each round unit R = 10^k lots (k = 1..6), the trades whose size
// is a multiple of R are compared with their neighbours, the trades whose size lies within w = R/10 lots
// (at least 1) of a multiple without being one: cluster ratio = (trades at multiples per residue) /
// (neighbour trades per residue) = round · 2w / neighbours, exact, × 1000. A ratio near 1000 means no
// clustering; Cong et al. find regulated venues well above it.

const ROUND_UNITS = [10, 100, 1_000, 10_000, 100_000, 1_000_000] as const;

export class RoundSizeCounts {
  /** Per unit: trades at a multiple, and neighbour trades. */
  readonly round = new Array<number>(ROUND_UNITS.length).fill(0);
  readonly neighbours = new Array<number>(ROUND_UNITS.length).fill(0);
  total = 0;

  /** Counts n trades of qtyLots. */
  add(qtyLots: number, n = 1): void {
    this.total += n;
    for (let k = 0; k < ROUND_UNITS.length; k++) {
      const r = ROUND_UNITS[k]!;
      if (qtyLots < r) {
        // Below the unit: only its upper neighbourhood can hold it.
        if (r - qtyLots <= Math.max(1, r / 10)) this.neighbours[k]! += n;
        continue;
      }
      const rest = qtyLots % r;
      const w = Math.max(1, r / 10);
      if (rest === 0) this.round[k]! += n;
      else if (rest <= w || r - rest <= w) this.neighbours[k]! += n;
    }
  }

  copy(): RoundSizeCounts {
    const c = new RoundSizeCounts();
    for (let k = 0; k < ROUND_UNITS.length; k++) {
      c.round[k] = this.round[k]!;
      c.neighbours[k] = this.neighbours[k]!;
    }
    c.total = this.total;
    return c;
  }

  report(): { unitLots: number; round: number; neighbours: number; shareBps: number; clusterRatioMilli: number }[] {
    return ROUND_UNITS.map((r, k) => {
      const w = Math.max(1, r / 10);
      const round = this.round[k]!;
      const neighbours = this.neighbours[k]!;
      return {
        unitLots: r,
        round,
        neighbours,
        shareBps: this.total === 0 ? 0 : Math.floor((round * 10_000) / this.total),
        clusterRatioMilli: neighbours === 0 ? 0 : Math.floor((round * 2 * w * 1_000) / neighbours),
      };
    });
  }
}
