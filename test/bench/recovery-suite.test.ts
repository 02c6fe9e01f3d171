// The recovery suite end to end on a small directory: it fills one through the threaded exchange, restarts
// `npm start`'s entry on it after kill -9 and reads each phase from the child's own log lines. Guards the
// suite against the log lines it parses changing under it (its phases would silently collapse to zero).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import suite from '../../bench/suites/recovery.js';

test('the recovery suite fills a directory, restarts the exchange on it after kill -9 and times every phase', async () => {
  const results = await suite.run({ json: true, quick: true, args: ['--records', '20000', '--restarts', '2'] });
  assert.equal(results.length, 2, 'a case without snapshots and one with the default policy');
  for (const r of results) {
    const n = (k: string) => r[k] as number;
    assert.ok(n('replayedRecords') >= 20_000, `${r.case}: the restart replayed what the fill journaled (${n('replayedRecords')})`);
    assert.equal(r.samples, 2);
    // Reading and replaying overlap after the open, and the exchange is ready after both.
    const both = Math.max(n('readMs'), n('replayMs'));
    assert.ok(n('openMs') > 0 && n('readMs') > 0 && n('replayMs') > 0 && n('readyMs') > n('openMs') + both - 1, `${r.case}: open ${n('openMs')} ms, read ${n('readMs')} ms, replay ${n('replayMs')} ms, ready ${n('readyMs')} ms`);
    assert.ok(n('cpuMs') > 0, 'the child used CPU');
    assert.ok(n('backlogWhenReady') >= n('replayedRecords'), `${r.case}: /metrics' replay backlog (${n('backlogWhenReady')}) counts at least what was just replayed`);
  }
  assert.ok((results[0]!.peerMs as number) > 0, 'the peer replayed the same journal');
});
