// RecordIndexSource (type 17): gateway → market shard, just before the UpdateIndexPrice it explains (same
// market, same timeUs). What one index source returned, and what the index rules did with it, so a journal
// of the market shard's input says why each index was what it was. The shard takes it in sequence and
// changes nothing: a replay sees the same records in the same place.
//
//     32         34      35       36        37      38           40         44          48
//     +----------+-------+--------+---------+-------+------------+----------+-----------+
//     | sourceId | venue | status | verdict | (0)   | httpStatus | weight   | latencyUs |
//     | u16      | u8    | u8     | u8      | u8    | u16        | u32      | u32       |
//     +----------+-------+--------+---------+-------+------------+----------+-----------+
//     48              56                64               72               80
//     +---------------+-----------------+----------------+----------------+
//     | priceTicks u53| venueTimeUs u53 | receivedUs u53 | updatedUs u53  |
//     +---------------+-----------------+----------------+----------------+
//
// sourceId: the source's index in the market's configured source list. status: IndexSourceStatus of this
// cycle's request; verdict: IndexSourceVerdict. priceTicks, venueTimeUs, receivedUs: the last price the
// source gave (0 if none yet), the venue's own timestamp of it (0 when the venue sends none) and when the
// oracle received it; updatedUs = min(venueTimeUs, receivedUs) when the venue sends a time, else
// receivedUs: the time the staleness rule measured. latencyUs: the last request's round trip.

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const RecordIndexSourceLayout = defineLayout(RecordType.RecordIndexSource, 'RecordIndexSource', [
  ['sourceId', 'u16'],
  ['venue', 'u8'],
  ['status', 'u8'],
  ['verdict', 'u8'],
  ['reserved', 'u8'],
  ['httpStatus', 'u16'],
  ['weight', 'u32'],
  ['latencyUs', 'u32'],
  ['priceTicks', 'u53'],
  ['venueTimeUs', 'u53'],
  ['receivedUs', 'u53'],
  ['updatedUs', 'u53'],
] as const);
