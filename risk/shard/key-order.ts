// Ascending orders of account-id keys for the state hash and snapshots of large shards. Looking each
// sorted key up again (Map.get) costs a cache miss per entry on a map of a million, and a comparator
// sort of a million entries a few hundred milliseconds; these walk the data once in its own order and
// sort natively, on doubles that pack the key and the entry's index together (only when the order is
// not already ascending).

const INDEX_SPAN = 2 ** 21;
const KEY_SPAN = 2 ** 32;

/**
 * Columns kept between calls by a caller that sorts a market's worth of keys on every snapshot (the ranking
 * job's members: a million at the benchmark's size). Allocated fresh each time they were 36 MB outside V8's
 * heap per encode, and that much outside memory starts a full marking of the heap (docs/SNAPSHOTS.md,
 * "The encode at risksnap6"). Grown, never shrunk; what they hold between calls is garbage.
 */
export class SortScratch {
  keys = new Float64Array(0);
  values = new Float64Array(0);
  packed = new Float64Array(0);
  order = new Int32Array(0);

  /** keys of at least n entries and values of at least n·width. */
  reserve(n: number, width: number): void {
    if (this.keys.length < n) this.keys = new Float64Array(n);
    if (this.values.length < n * width) this.values = new Float64Array(n * width);
  }
}

/**
 * Indexes 0..n-1 of keys[0..n) in ascending key order; keys are distinct integers. With `scratch`, the
 * result may be a view of its `order` column, valid until the scratch is used again.
 */
export function ascendingOrder(keys: Float64Array, n: number, scratch?: SortScratch): ArrayLike<number> {
  let ascending = true;
  let packable = n < INDEX_SPAN;
  for (let j = 0; j < n; j++) {
    const k = keys[j]!;
    if (j > 0 && k <= keys[j - 1]!) ascending = false;
    if (!(k >= 0 && k < KEY_SPAN)) packable = false;
  }
  if (ascending) return identity(n, scratch);
  if (!packable) return Array.from(identity(n)).sort((a, b) => keys[a]! - keys[b]!);
  // key·2^21 + index < 2^53: exact, and distinct keys keep their order once packed.
  let packed: Float64Array;
  if (scratch === undefined) packed = new Float64Array(n);
  else {
    if (scratch.packed.length < n) scratch.packed = new Float64Array(n);
    packed = scratch.packed.subarray(0, n);
  }
  for (let j = 0; j < n; j++) packed[j] = keys[j]! * INDEX_SPAN + j;
  packed.sort();
  const out = orderColumn(n, scratch);
  for (let j = 0; j < n; j++) out[j] = packed[j]! % INDEX_SPAN;
  return out;
}

function orderColumn(n: number, scratch: SortScratch | undefined): Int32Array {
  if (scratch === undefined) return new Int32Array(n);
  if (scratch.order.length < n) scratch.order = new Int32Array(n);
  return scratch.order;
}

function identity(n: number, scratch?: SortScratch): Int32Array {
  const out = orderColumn(n, scratch);
  for (let j = 0; j < n; j++) out[j] = j;
  return out;
}

/** The map's values by ascending key (keys: distinct integers, account ids). */
function valuesByKey<V>(map: ReadonlyMap<number, V>): V[] {
  const n = map.size;
  // Arrays grown by push keep fast elements; one made at a length of a million would not.
  const values: V[] = [];
  const keys = new Float64Array(n);
  let sorted = true;
  // forEach, not for-of over entries: no [key, value] array per entry.
  map.forEach((v, k) => {
    if (values.length > 0 && k <= keys[values.length - 1]!) sorted = false;
    keys[values.length] = k;
    values.push(v);
  });
  if (sorted) return values;
  const order = ascendingOrder(keys, n);
  const out: V[] = [];
  for (let j = 0; j < n; j++) out.push(values[order[j]!]!);
  return out;
}

/**
 * f on each of the map's values by ascending key: in the map's own order when that is ascending (the usual
 * case: ids are handed out in order), which needs no array of a million values, else through valuesByKey.
 */
export function forEachByKey<V>(map: ReadonlyMap<number, V>, f: (v: V) => void): void {
  let last = -Infinity;
  let ascending = true;
  map.forEach((_v, k) => {
    if (k <= last) ascending = false;
    last = k;
  });
  if (ascending) {
    map.forEach(f);
    return;
  }
  const values = valuesByKey(map);
  for (let i = 0; i < values.length; i++) f(values[i]!);
}

/**
 * Entries by id for a decode that looks them up in about the order it decoded them (a trigger slot per
 * position, in account order): a cursor over the decoded list that only moves forward, so such lookups
 * cost no hash-table probe (a cache miss or two each on a map of a million); any other id is looked up in
 * the map. Correct in any order; fast when the lookups follow the list.
 */
export class CursorLookup<V extends { readonly id: number }> {
  private at = 0;

  constructor(
    private readonly list: readonly V[],
    private readonly map: ReadonlyMap<number, V>,
  ) {}

  /** Starts again from the list's first entry (a new walk in id order). */
  rewind(): void {
    this.at = 0;
  }

  get(id: number): V | undefined {
    const list = this.list;
    let i = this.at;
    while (i < list.length && list[i]!.id < id) i++;
    this.at = i;
    const v = list[i];
    return v !== undefined && v.id === id ? v : this.map.get(id);
  }
}
