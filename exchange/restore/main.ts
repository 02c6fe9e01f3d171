// perpx-restore: the operators' tool for a perpx data directory (list, inspect, verify, restore, hash, and
// alert: one surveillance alert checked against the journal).
// Arguments in, one of the commands in commands.ts, errors mapped to documented exit codes:
//
//   0  ok
//   1  an unexpected failure (a bug: the message says what)
//   2  bad arguments (the usage line says which)
//   3  corruption: a record fails its checksum, the journal has a gap, the cut disagrees with it; or
//      (alert) the journal does not reproduce the stored alert
//   4  no usable data directory: missing, not a perpx directory, or unreadable (locked, damaged store)

import { parseArgs } from 'node:util';
import { Code } from '../../engine/codes.js';
import { PersistenceError } from '../../persistence/errors.js';
import { join } from 'node:path';
import { checkAlert } from './alert-check.js';
import { hash, inspect, list, type Out } from './commands.js';
import { restore } from './restore-dir.js';
import { verify } from './verify.js';
import { openData, shardIndexOf } from './data.js';
import type { Topology } from '../topology.js';
import type { Point } from './point.js';

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, CORRUPT: 3, NO_DATA: 4 } as const;

const HELP: Record<string, string> = {
  '': `usage: perpx-restore <command> [--data DIR] [--json] [options]

commands:
  list      snapshots and journal ranges per shard (position, records, torn tail, size, last seqs) and
            the oldest point each can still be restored to
  inspect   the state at a point summarised (markets, open orders, accounts, positions, insurance fund,
            open interest); --account N for one account
  verify    checksums, sequence continuity, the cut against the journal, a clean replay of every shard
  restore   a new data directory holding the state at a point: --to-seq N [--shard X] | --to-time T, --out DIR
  hash      every shard's state hash at a point
  alert ID  one surveillance alert replayed from its market shard's journal: is it raised again, the same?

--data DIR (default ./data) is only ever read. --json prints one JSON object instead of tables.
A point is the end of the durable journal by default, or --to-time T (microseconds since the epoch, or an
ISO date), or --to-seq N: just after shard X (as list names it: --shard risk0, market1; default: risk 0,
where client commands arrive) took gateway command N. Every command takes --help.
exit codes: 0 ok · 1 unexpected failure · 2 bad arguments · 3 corruption found (alert: not reproduced) · 4 no usable data directory`,
  list: 'usage: perpx-restore list [--data DIR] [--json]\nPer shard: where its journal starts, how far it is durable (the cut), records past the cut (a torn tail), blocks, bytes, the last seq consumed per input, and the oldest point it can be restored to (the first --to-seq and --to-time its oldest usable snapshot and the journal after it reach; "the start" when its journal was never pruned), with the oldest --to-time every shard reaches (a --to-seq also cuts the other shards at the time of its command, which must be inside it too); then every snapshot: the journal position it covers, last seqs, shard time, when taken, size, state hash.',
  inspect: 'usage: perpx-restore inspect [--data DIR] [--account N] [--to-seq N [--shard X] | --to-time T] [--json]\nReplays the journal to the point and summarises the state (one account with --account).',
  verify: 'usage: perpx-restore verify [--data DIR] [--json]\nReads every journal record below the cut checking its CRC32C, the positions for gaps, the cut\'s last seqs against the journal, then replays every shard from its oldest usable state through every later snapshot, checking each snapshot equals the replay of the journal before it, and prints the state hash at the end. Exit 3 on corruption.',
  restore: 'usage: perpx-restore restore (--to-seq N [--shard X] | --to-time T) --out DIR [--data DIR] [--json]\nWrites a new data directory holding the journal up to the largest consistent cut at the point; start it with npm start -- --data DIR. The source is never modified.',
  hash: 'usage: perpx-restore hash [--data DIR] [--to-seq N [--shard X] | --to-time T] [--json]\nEvery shard\'s state hash after replaying its journal to the point.',
  alert:
    'usage: perpx-restore alert ID [--data DIR] [--alerts DIR] [--json]\nReads surveillance alert ID from the alert store (--alerts, default DATA/alerts), replays its market shard\'s journal through a fresh shard and a fresh surveillance engine to the alert\'s last record, with the beneficial-owner links as they were during the alert (the owner log of the store; failing that, the links in force now from the start, as a restarted worker had them), and says whether the alert is raised again equal field for field. Exit 0 when it is, 3 when it is not, 2 for an unknown id.',
};

class UsageError extends Error {}

function point(values: { 'to-seq'?: string; 'to-time'?: string; shard?: string }, topology: Topology): Point {
  if (values['to-seq'] !== undefined && values['to-time'] !== undefined) throw new UsageError('give --to-seq or --to-time, not both');
  if (values.shard !== undefined && values['to-seq'] === undefined) throw new UsageError('--shard goes with --to-seq');
  if (values['to-seq'] !== undefined) {
    const seq = /^\d{1,16}$/.test(values['to-seq']) ? Number(values['to-seq']) : NaN;
    if (!Number.isSafeInteger(seq) || seq < 1) throw new UsageError(`--to-seq ${values['to-seq']}: a gateway command's seq, a whole number from 1`);
    // Default: the first risk shard, where client commands arrive.
    const shard = values.shard !== undefined ? shardIndexOf(topology, values.shard) : topology.marketShards;
    if (shard === undefined) throw new UsageError(`--shard ${values.shard}: a shard as list names it (market 0 to ${topology.marketShards - 1}, risk 0 to ${topology.riskShards - 1}, e.g. --shard risk0), or its index from 0 (market shards first)`);
    return { kind: 'seq', shard, seq };
  }
  if (values['to-time'] !== undefined) {
    const t = values['to-time'];
    const us = /^\d+$/.test(t) ? Number(t) : Date.parse(t) * 1_000;
    if (!Number.isSafeInteger(us)) throw new UsageError(`--to-time ${t}: microseconds since the epoch or an ISO date`);
    return { kind: 'time', timeUs: us };
  }
  return { kind: 'end' };
}

export async function main(argv: string[], print: (s: string) => void, printErr: (s: string) => void): Promise<number> {
  const [command = '', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    print(HELP['']!);
    return EXIT.OK;
  }
  if (!(command in HELP) || command === '') {
    printErr(`perpx-restore: ${command ? `unknown command ${command}` : 'a command is needed'}\n${HELP['']}`);
    return EXIT.USAGE;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        data: { type: 'string', default: './data' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        account: { type: 'string' },
        'to-seq': { type: 'string' },
        'to-time': { type: 'string' },
        shard: { type: 'string' },
        out: { type: 'string' },
        alerts: { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (e) {
    printErr(`perpx-restore ${command}: ${(e as Error).message}\n${HELP[command]}`);
    return EXIT.USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(HELP[command]!);
    return EXIT.OK;
  }
  const out: Out = { json: values.json ?? false, print };
  try {
    if (command === 'alert' && positionals.length !== 1) throw new UsageError('alert takes one alert id');
    if (command !== 'alert' && positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (command === 'restore' && values.out === undefined) throw new UsageError('restore needs --out DIR');
    if (command === 'restore' && values['to-seq'] === undefined && values['to-time'] === undefined) throw new UsageError('restore needs --to-seq N or --to-time T');
    const account = values.account !== undefined ? (/^\d{1,16}$/.test(values.account) ? Number(values.account) : NaN) : undefined;
    if (account !== undefined && (!Number.isSafeInteger(account) || account < 0)) throw new UsageError('--account takes an account id');
    const d = await openData(values.data!);
    try {
      const p = point(values, d.topology);
      if (command === 'list') await list(d, out);
      else if (command === 'verify') await verify(d, out);
      else if (command === 'hash') await hash(d, p, out);
      else if (command === 'inspect') await inspect(d, p, account, out);
      else if (command === 'alert') return (await checkAlert(d, values.alerts ?? join(values.data!, 'alerts'), positionals[0]!, out)) ? EXIT.OK : EXIT.CORRUPT;
      else await restore(d, p, values.out!, out);
    } finally {
      await d.store.close();
    }
    return EXIT.OK;
  } catch (e) {
    if (e instanceof UsageError || e instanceof RangeError) {
      printErr(`perpx-restore ${command}: ${e.message}\n${HELP[command]}`);
      return EXIT.USAGE;
    }
    if (e instanceof PersistenceError) {
      printErr(`perpx-restore ${command}: ${e.message}`);
      if (out.json) print(JSON.stringify({ ok: false, code: e.code, message: e.message, details: e.details }));
      const noData: number[] = [Code.DATA_DIR_MISSING, Code.DATA_DIR_FOREIGN, Code.STORE_UNAVAILABLE, Code.DATA_DIR_MISMATCH];
      return noData.includes(e.code) ? EXIT.NO_DATA : e.code === Code.STORE_IO_FAILED ? EXIT.FAILED : EXIT.CORRUPT;
    }
    printErr(`perpx-restore ${command}: unexpected failure: ${(e as Error).stack ?? String(e)}`);
    return EXIT.FAILED;
  }
}
