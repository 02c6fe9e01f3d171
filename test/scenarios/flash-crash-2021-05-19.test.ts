// Flash crash of 2021-05-19 (−30.0% intraday): the real one-minute BTC-PERP path of its steepest day,
// scaled so it opens at the day's 42,865.05 and bottoms at its 30,000 (price-path.ts, crash-scenarios.ts),
// run whole against the same population with a shallow insurance fund (2,000 USDT, at most 500 per
// event), so full closes exhaust their budget and the remainders are auto-deleveraged.

import { crashTests } from './crash-checks.js';
import { MAY_2021 } from './crash-scenarios.js';

crashTests(MAY_2021, {
  shows: [
    ['some remainders went to ADL because closing them on the book cost more than the event budget', (r) => r.adlBudgetBound > 0],
    ['ADL closed opposite positions', (r) => r.adlFills > 0 && r.adlLots > 0n],
    ['the insurance fund never went below zero', (r) => r.fundFinalAtoms >= 0n],
  ],
});
