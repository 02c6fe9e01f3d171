// SetMarkPrice (type 6): a sequenced mark price for the header's market. It moves the reference price of
// the price band and fires stop and take-profit orders whose trigger source is MARK.
//
//     32                   40
//     +--------------------+
//     | markPriceTicks u53 |
//     +--------------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetMarkPriceLayout = defineLayout(RecordType.SetMarkPrice, 'SetMarkPrice', [
  ['markPriceTicks', 'u53'],
] as const);
