// perpx-restore alert ID: checks one surveillance alert against what the venue recorded. The alert is read
// from the alert store (<data>/alerts by default), its market shard's journal replayed through a fresh
// shard and a fresh surveillance engine up to the alert's last record (exchange/surveillance/
// alert-replay.ts), with the beneficial-owner links as the store's owner log says they were over time;
// the alert is reproduced when the replay raises it again equal field for field. An alert a restarted
// worker raised rests on the links in force at that start, given from the stream's beginning (a trade
// before its accounts were linked, raised again then: docs/SURVEILLANCE.md); one the links as they were
// do not reproduce is therefore replayed a second time with the links in force now from the start, and
// the answer says which reproduced it. The stored alert is the operator's evidence; this is how
// an auditor checks it is the journal's and not only the alert's own word.

import { isDeepStrictEqual } from 'node:util';
import { alertsKey } from '../../persistence/keys.js';
import { readShardLog } from '../../persistence/journal-reader.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import type { Alert } from '../../risk/surveillance/alert.js';
import { alertKey, decodeValue } from '../surveillance/alert-storage.js';
import { replayAlert } from '../surveillance/alert-replay.js';
import { ownerHistory, type OwnerChange } from '../surveillance/owner-links.js';
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
  /** Links given to the replay that answered: changes of the owner log, or links in force. */
  links: number;
  /** How they were given: as they changed over time, or those in force now from the stream's start. */
  linksAs: 'as-they-were' | 'in-force-from-start';
  reproduced: boolean;
  /** The fields of the stored alert the replay does not give back (all of them when it raised nothing). */
  differs: string[];
}

/** Reproduces alert `id`; true when the journal bears it out. A RangeError when the store holds no such alert. */
export async function checkAlert(d: DataDir, alertsDir: string, id: string, out: Out): Promise<boolean> {
  const store = await RocksStore.open(alertsDir, { readOnly: true });
  let alert: Alert;
  let owners: [number, number][];
  let changes: OwnerChange[];
  try {
    const bytes = await store.get(alertsKey(alertKey(id)));
    if (bytes === undefined) throw new RangeError(`no alert ${id} in ${alertsDir}`);
    alert = decodeValue<Alert>(bytes);
    const storage = new StoreAlertStorage(store);
    const inForce = (await storage.loadOwners()).filter((l) => l.ownerId !== 0);
    owners = inForce.map((l) => [l.accountId, l.ownerId]);
    changes = ownerHistory(inForce, await storage.loadOwnerLog());
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
  const differ = (again: Alert | undefined) =>
    again === undefined ? Object.keys(alert) : Object.keys(alert).filter((k) => !isDeepStrictEqual((alert as unknown as Record<string, unknown>)[k], (again as unknown as Record<string, unknown>)[k]));
  let again = replayAlert(replayConfig(d), log, alert, { ownerChanges: changes })[0];
  let differs = differ(again);
  let linksAs: AlertCheck['linksAs'] = 'as-they-were';
  if (differs.length > 0 && owners.length > 0) {
    const fromStart = replayAlert(replayConfig(d), log, alert, { owners })[0];
    if (differ(fromStart).length === 0) [again, differs, linksAs] = [fromStart, [], 'in-force-from-start'];
  }
  const links = linksAs === 'as-they-were' ? changes.length : owners.length;
  const r: AlertCheck = { id, detector: alert.detector, market: alert.marketId, shard: shardName(d.topology, x), fromSeq: alert.fromSeq, toSeq: alert.toSeq, links, linksAs, reproduced: differs.length === 0, differs };
  if (out.json) out.print(JSON.stringify(r));
  else {
    out.print(
      table(
        ['alert', 'detector', 'market', 'records of', 'seq range', 'links given', 'replay'],
        [[r.id, r.detector, String(r.market), r.shard, `${r.fromSeq}..${r.toSeq}`, `${r.links} ${linksAs === 'as-they-were' ? 'changes, as they were' : 'in force now, from the start'}`, r.reproduced ? 'raised again, equal field for field' : again === undefined ? 'not raised' : `raised, but differs in ${differs.join(', ')}`]],
      ),
    );
    out.print(r.reproduced ? 'alert: reproduced from the journal' : 'alert: NOT reproduced from the journal');
  }
  return r.reproduced;
}
