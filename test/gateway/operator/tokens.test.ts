// Operator tokens: generated once with every role into a 0600 file, loaded unchanged afterwards; only an
// exact "Bearer <token>" authenticates; malformed files are refused naming the problem.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_ROLES, OperatorConfigError, OperatorTokens } from '../../../gateway/operator/tokens.js';

test('a first start generates an admin token; the next one loads it without printing it again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-tokens-'));
  try {
    const path = join(dir, 'operators.json');
    const first = OperatorTokens.loadOrCreate(path);
    assert.ok(first.generated);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const second = OperatorTokens.loadOrCreate(path);
    assert.equal(second.generated, undefined);
    const op = second.tokens.authenticate(`Bearer ${first.generated.token}`);
    assert.deepEqual(op, { id: 'admin', roles: ALL_ROLES });
    for (const bad of [first.generated.token, `bearer ${first.generated.token}`, `Bearer ${first.generated.token}x`, 'Bearer ', `Bearer ${first.generated.token} `]) {
      assert.equal(second.tokens.authenticate(bad), undefined, bad);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('malformed token files are refused with the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-tokens-'));
  try {
    const path = join(dir, 'ops.json');
    for (const [text, why] of [
      ['{', /JSON|Expected/],
      ['{"operators": {}}', /expected \{"operators"/],
      ['{"operators": [{"id": "a", "token": "short", "roles": []}]}', /at least 16/],
      ['{"operators": [{"id": "a", "token": "0123456789abcdef", "roles": []}, {"id": "a", "token": "0123456789abcdeg", "roles": []}]}', /listed twice/],
      ['{"operators": [{"id": "a b", "token": "0123456789abcdef", "roles": []}]}', /letters, digits/],
    ] as const) {
      writeFileSync(path, text);
      assert.throws(() => OperatorTokens.load(path), (e: Error) => e instanceof OperatorConfigError && why.test(e.message) && e.message.includes(path));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
