// OrderExpired (type 105): an accepted order's remainder ended by rule rather than request: IOC remainder,
// self-trade prevention, a market order's slippage limit or an empty book, a band re-check.
// Same fields as OrderCancelled (order-cancelled.ts); reason tells which rule.

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';
import { ORDER_ENDED_FIELDS } from './order-cancelled.js';

export const OrderExpiredLayout = defineLayout(RecordType.OrderExpired, 'OrderExpired', ORDER_ENDED_FIELDS);
