// The book contract suite (types.ts) run against both implementations: every behaviour the fast book
// promises, the reference book promises too, test by test.

import { describe } from 'node:test';
import { OrderBook } from '../../../engine/book/order-book.js';
import { ReferenceBook } from '../../../engine/book/reference-book.js';
import { amendCancelContract } from './contract/amend-cancel.js';
import type { BookFactory } from './contract/harness.js';
import { deleverageContract } from './contract/deleverage.js';
import { levelChangesContract } from './contract/level-changes.js';
import { matchingContract } from './contract/matching.js';
import { reduceOnlyContract } from './contract/reduce-only.js';
import { selfTradeContract } from './contract/self-trade.js';
import { stopsContract } from './contract/stops.js';
import { validationContract } from './contract/validation.js';

const implementations: [string, BookFactory][] = [
  ['OrderBook', (spec, sink) => new OrderBook(spec, sink)],
  ['ReferenceBook', (spec, sink) => new ReferenceBook(spec, sink)],
];

for (const [name, make] of implementations) {
  describe(name, () => {
    validationContract(make);
    matchingContract(make);
    selfTradeContract(make);
    amendCancelContract(make);
    reduceOnlyContract(make);
    stopsContract(make);
    levelChangesContract(make);
    deleverageContract(make);
  });
}
