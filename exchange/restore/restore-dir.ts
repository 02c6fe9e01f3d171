// perpx-restore restore: a new data directory holding the state at a point. Per shard: the snapshot a
// recovery at the restored cut would start from (the newest sound, settled one at or before the shard's
// cut position; none when the journal from 0 is kept), then the journal from it to the cut, then the cut.
// The source is only read.

import { existsSync, readdirSync } from 'node:fs';
import { RecordBuffer } from '../../engine/ring/record.js';
import { encodeCut } from '../../persistence/cut-record.js';
import { BlockBuilder } from '../../persistence/journal-block.js';
import { CUT_KEY, META_KEY, journalKey } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { snapshotOps } from '../../persistence/snapshot-store.js';
import { emit, type Out } from './commands.js';
import { shardName, shardNames, type DataDir } from './data.js';
import { baseAt, readHistories } from './history.js';
import { cutAt, type Point } from './point.js';
import { table } from './table.js';

export async function restore(d: DataDir, point: Point, outDir: string, out: Out): Promise<void> {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new RangeError(`--out ${outDir} exists and is not empty`);
  const histories = await readHistories(d);
  const cut = cutAt(histories.map((h) => h.log), d.producers, point, shardNames(d.topology));
  const bases: Awaited<ReturnType<typeof baseAt>>[] = [];
  for (const h of histories) bases.push(await baseAt(d, h, cut.positions[h.shard]!, cut));
  const target = await RocksStore.open(outDir, { createIfMissing: true });
  try {
    await target.write([{ type: 'put', key: META_KEY, value: (await d.store.get(META_KEY))! }], false);
    const b = new BlockBuilder();
    for (const h of histories) {
      const x = h.shard;
      const l = h.log;
      const base = bases[x];
      if (base) await target.write(snapshotOps(base.info, base.bytes), false);
      const recs = new RecordBuffer(l.records);
      const inputs = new Uint16Array(l.inputs);
      for (let first = base?.info.position ?? 0; first < cut.positions[x]!; first += 4_096) {
        const n = Math.min(4_096, cut.positions[x]! - first);
        b.begin(first, n);
        for (let i = 0; i < n; i++) b.add(recs.u8, recs.at(first - l.firstPosition + i), inputs[first - l.firstPosition + i]!);
        await target.write([{ type: 'put', key: journalKey(x, first), value: b.finish() }], false);
      }
    }
    await target.write([{ type: 'put', key: CUT_KEY, value: encodeCut({ version: 1, batch: d.cut.batch, ...cut }) }], true);
  } finally {
    await target.close();
  }
  const rows = cut.positions.map((p, x) => ({ shard: shardName(d.topology, x), position: p, of: d.cut.positions[x]!, fromSnapshot: bases[x]?.info.position ?? null }));
  emit(out, { out: outDir, point, shards: rows }, () =>
    [
      `restored into ${outDir} (start it with: npm start -- --data ${outDir})`,
      table(['shard', 'records restored', 'of', 'from snapshot at'], rows.map((r) => [r.shard, r.position, r.of, r.fromSnapshot === null ? '-' : r.fromSnapshot])),
    ].join('\n'),
  );
}
