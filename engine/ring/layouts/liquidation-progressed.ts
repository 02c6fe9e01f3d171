// LiquidationProgressed (type 204): risk shard → gateway (public liquidation feed). One step of the pipeline
// of docs/RISK.md for a scope (cross account, or the isolated position in the header's market): step is a
// LiquidationStep (risk/shard/events.ts); qty and price are the step's order or fill; insuranceAtoms what the
// insurance fund took (> 0) or paid (< 0) in this step.
//
//     32                  40               48               56                64
//     +-------------------+----------------+----------------+-----------------+
//     | liquidationId u53 | qtyLots i64    | priceTicks u53 | equityAtoms i64 |
//     +-------------------+----------------+----------------+-----------------+
//     64                     72                   80     81      82
//     +----------------------+--------------------+------+-------+
//     | maintenanceAtoms i64 | insuranceAtoms i64 | step | scope |
//     +----------------------+--------------------+------+-------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const LiquidationProgressedLayout = defineLayout(RecordType.LiquidationProgressed, 'LiquidationProgressed', [
  ['liquidationId', 'u53'],
  ['qtyLots', 'i64'],
  ['priceTicks', 'u53'],
  ['equityAtoms', 'i64'],
  ['maintenanceAtoms', 'i64'],
  ['insuranceAtoms', 'i64'],
  ['step', 'u8'],
  ['scope', 'u8'],
] as const);
