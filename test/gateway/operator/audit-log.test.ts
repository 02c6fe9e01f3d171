// The audit log on its own: appends survive a reopen and continue the sequence, a torn last line (a crash
// mid-write) is reported and the next entry starts on a fresh line, secret-named fields are redacted.

import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog } from '../../../gateway/operator/audit-log.js';

const entry = (path: string) => ({ atUs: 1_700_000_000_000_000, operator: 'alice', method: 'POST', path, status: 200, outcome: 'ok' });

test('entries survive a reopen, the sequence continues, a torn tail is skipped and closed off', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-audit-'));
  try {
    const path = join(dir, 'sub', 'audit.log');
    const a = await AuditLog.open(path);
    await a.append(entry('/a'));
    await Promise.all([a.append(entry('/b')), a.append(entry('/c'))]);
    await a.close();
    appendFileSync(path, '{"seq":4,"atUs":17000'); // a write cut short by a crash
    const b = await AuditLog.open(path);
    const d = await b.append({ ...entry('/d'), body: { note: 'x', token: 'sekrit', nested: { apiSecret: 'y' } } });
    await b.close();
    assert.equal(d.seq, 4);
    const { entries, torn } = await AuditLog.read(path);
    assert.equal(torn, 1);
    assert.deepEqual(
      entries.map((e) => [e.seq, e.path]),
      [
        [1, '/a'],
        [2, '/b'],
        [3, '/c'],
        [4, '/d'],
      ],
    );
    assert.deepEqual(entries[3]!.body, { note: 'x', token: '[redacted]', nested: { apiSecret: '[redacted]' } });
    assert.ok(!readFileSync(path, 'utf8').includes('sekrit'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
