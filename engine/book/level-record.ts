// The price level record: one 64-byte record per level slot (a cache line) in one ArrayBuffer, read
// through a Float64Array and an Int32Array view, so a level costs one array load per view and one line,
// where a struct of separate typed arrays costs a load and a bounds check per field and a line each.
//
//   byte 0            8          16             24     28     32     36     40      44            48      52  64
//        +------------+----------+--------------+------+------+------+------+-------+-------------+-------+---+
//        | priceTicks | qtyLots  | qtyBefore    | count| head | tail | side | stamp | countBefore | listed| 0 |
//        +------------+----------+--------------+------+------+------+------+-------+-------------+-------+---+
//          f64[lv*8 + L_*]                        i32[lv*16 + L_*]
//
// qtyLots and count are the level's aggregate (remaining lots and orders). head and tail are the FIFO
// ends (order slots, −1 when empty); head doubles as the free-list link of a free level. stamp, qtyBefore
// and countBefore belong to the L2 diff (level-changes.ts): the command epoch in which the level was
// first touched and its aggregate before that command. listed is 1 while the level is in its side's
// sorted array (price-levels.ts: live or dormant). Integers in the f64 fields are below 2^53, exact.

export const LevelRecord = {
  BYTES: 64,
  F_SHIFT: 3,
  I_SHIFT: 4,
  L_PRICE: 0,
  L_QTY: 1,
  L_QTY_BEFORE: 2,
  L_COUNT: 6,
  L_HEAD: 7,
  L_TAIL: 8,
  L_SIDE: 9,
  L_STAMP: 10,
  L_COUNT_BEFORE: 11,
  L_LISTED: 12,
} as const;
