// Replay speed of a data directory's journals, per shard: each shard's whole journal (from position 0)
// through a fresh state machine, `runs` times in one process, in process CPU time, with the state hash
// (it must equal `perpx-restore hash`). The journal suite's replay figure is one flow; this measures the
// flow a real directory holds (a demo's, a crash run's). Run it on a stopped exchange's directory or a copy.
//
//   node tools/replay-speed.mjs <data dir> [dist=./dist] [runs=3]

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, distArg = 'dist', runsText = '3'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node tools/replay-speed.mjs <data dir> [dist] [runs]');
const d = pathToFileURL(resolve(distArg)).href;
const { openData, shardName } = await import(d + '/exchange/restore/data.js');
const { replayConfig } = await import(d + '/exchange/restore/history.js');
const { readShardLog } = await import(d + '/persistence/journal-reader.js');
const { replayShard } = await import(d + '/exchange/journal-replay.js');
const data = await openData(dir);
try {
  const c = replayConfig(data);
  for (let x = 0; x < data.producers.length; x++) {
    const log = await readShardLog(data.store, x, data.cut.positions[x], { inputs: data.producers[x].length });
    const cpuMs = [];
    let hash = 0n;
    for (let r = 0; r < Number(runsText); r++) {
      const t = process.cpuUsage();
      hash = replayShard(c, log).stateHash();
      const u = process.cpuUsage(t);
      cpuMs.push(Math.round((u.user + u.system) / 1000));
    }
    const best = Math.max(1, Math.min(...cpuMs));
    console.log(JSON.stringify({ shard: shardName(data.topology, x), records: log.count, cpuMs, recordsPerCpuS: Math.round((log.count * 1000) / best), stateHash: hash.toString(16).padStart(16, '0') }));
  }
} finally {
  await data.store.close();
}
