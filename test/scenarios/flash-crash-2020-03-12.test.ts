// Flash crash of 2020-03-12 (−41.5% intraday): the real one-minute BTC-PERP path of its steepest day,
// scaled so it opens at the day's 7,938.05 and bottoms at its 4,644 (price-path.ts, crash-scenarios.ts),
// run whole (1,440 minutes, four index ticks a minute) against leveraged longs and shorts and two market
// makers, with a deep insurance fund.

import { crashTests } from './crash-checks.js';
import { MARCH_2020 } from './crash-scenarios.js';

crashTests(MARCH_2020, {
  shows: [
    ['large positions were stepped down a tier before any full close', (r) => r.partialOrders > 0 && r.partialFilledLots > 0n],
    ['some liquidations closed in full', (r) => r.fullCloses > 0],
    ['the insurance fund paid the shortfall of fills past bankruptcy and stayed positive', (r) => r.fundPaidAtoms > 0n && r.fundFinalAtoms > 0n],
  ],
});
