// perpx-restore alert ID: checks one surveillance alert against what the venue recorded. The alert is read
// from the alert store (<data>/alerts by default), its market shard's journal replayed through a fresh
// shard and a fresh surveillance engine up to the alert's last record (exchange/surveillance/
// alert-replay.ts), with the beneficial-owner links the store holds; the alert is reproduced when the
// replay raises it again equal field for field. The stored alert is the operator's evidence; this is how
// an auditor checks it is the journal's and not only the alert's own word.

import { isDeepStrictEqual } from 'node:util';
import { alertsKey } from '../../persistence/keys.js';
import { readShardLog } from '../../persistence/journal-reader.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import type { Alert } from '../../risk/surveillance/alert.js';
import { alertKey, decodeValue } from '../surveillance/alert-storage.js';
import { replayAlert } from '../surveillance/alert-replay.js';
import { StoreAlertStorage } from '../surveillance/store-alert-storage.js';
import type { Out } from './commands.js';
import { shardName, type DataDir } from './data.js';
import { replayConfig } from './history.js';
import { progress } from './progress.js';
import { table } from './table.js';

export interface AlertCheck {
  id: string;
  detector: string;
  market: number;
  shard: string;
  fromSeq: number;
  toSeq: number;
  /** Links given to the replay (the alert store's, in force). */
  links: number;
  reproduced: boolean;
  /** The fields of the stored alert the replay does not give back (all of them when it raised nothing). */
  differs: string[];
}

/** Reproduces alert `id`; true when the journal bears it out. A RangeError when the store holds no such alert. */
export async function checkAlert(d: DataDir, alertsDir: string, id: string, out: Out): Promise<boolean> {
  const store = await RocksStore.open(alertsDir, { readOnly: true });
  let alert: Alert;
  let owners: [number, number][];
  try {
    const bytes = await store.get(alertsKey(alertKey(id)));
    if (bytes === undefined) throw new RangeError(`no alert ${id} in ${alertsDir}`);
    alert = decodeValue<Alert>(bytes);
    owners = (await new StoreAlertStorage(store).loadOwners()).filter((l) => l.ownerId !== 0).map((l) => [l.accountId, l.ownerId]);
  } finally {
    await store.close();
  }
  const x = alert.stream - 1;
  if (x < 0 || x >= d.topology.marketShards) throw new RangeError(`alert ${id} names stream ${alert.stream}, not a market shard of this directory`);
  const bar = progress('reading the journal', d.cut.positions[x]!);
  let log;
  try {
    log = await readShardLog(d.store, x, d.cut.positions[x]!, { inputs: d.producers[x]!.length, onProgress: (n) => bar.update(n) });
  } finally {
    bar.stop();
  }
  const found = replayAlert(replayConfig(d), log, alert, { owners });
  const again = found[0];
  const differs = again === undefined ? Object.keys(alert) : Object.keys(alert).filter((k) => !isDeepStrictEqual((alert as unknown as Record<string, unknown>)[k], (again as unknown as Record<string, unknown>)[k]));
  const r: AlertCheck = { id, detector: alert.detector, market: alert.marketId, shard: shardName(d.topology, x), fromSeq: alert.fromSeq, toSeq: alert.toSeq, links: owners.length, reproduced: differs.length === 0, differs };
  if (out.json) out.print(JSON.stringify(r));
  else {
    out.print(
      table(
        ['alert', 'detector', 'market', 'records of', 'seq range', 'links given', 'replay'],
        [[r.id, r.detector, String(r.market), r.shard, `${r.fromSeq}..${r.toSeq}`, String(r.links), r.reproduced ? 'raised again, equal field for field' : again === undefined ? 'not raised' : `raised, but differs in ${differs.join(', ')}`]],
      ),
    );
    out.print(r.reproduced ? 'alert: reproduced from the journal' : 'alert: NOT reproduced from the journal');
  }
  return r.reproduced;
}
