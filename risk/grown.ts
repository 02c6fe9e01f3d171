// Growth of the typed-array columns risk/ keeps (the margin monitor's trigger index; the surveillance
// account index, detector rows and pair tables): a copy with room for an index, the length doubled until
// it fits. Rare (a table reaching a new high-water mark), so the generic constructor call costs nothing
// that matters.

type Column = Int32Array | Uint32Array | Uint8Array | Float64Array;

/** A copy of a whose length (doubled until it is) exceeds index; a itself when it already does. */
export function grown<T extends Column>(a: T, index: number): T {
  if (index < a.length) return a;
  let n = Math.max(1, a.length) * 2;
  while (n <= index) n *= 2;
  const b = new (a.constructor as new (length: number) => T)(n);
  (b as Float64Array).set(a as Float64Array);
  return b;
}
