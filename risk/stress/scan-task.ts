// The piscina task of shock-scanner.ts: one slice of one snapshot under every shock. Runs on a pool
// thread; the snapshot's arrays are SharedArrayBuffer views, so a task carries references, not copies.

import { scanScopes, type Shock, type ShockTally } from './shock-scan.js';
import type { ScanSnapshot } from './scan-snapshot.js';

export interface ScanTask {
  readonly snapshot: ScanSnapshot;
  readonly shocks: readonly Shock[];
  readonly from: number;
  readonly to: number;
}

export default function scanTask(task: ScanTask): ShockTally[] {
  return scanScopes(task.snapshot, task.shocks, task.from, task.to);
}
