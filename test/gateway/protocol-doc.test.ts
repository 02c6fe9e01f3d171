// docs/PROTOCOL.md documents every request, every field of every request, every server message type,
// every user-stream event kind and every gateway and exchange code: a name in the code and not on the page
// fails here, so the document cannot drift behind the protocol.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Code, codeBand } from '../../engine/codes.js';
import { RETRYABLE } from '../../gateway/handlers/router.js';
import { REQUESTS, SERVER_MESSAGES, USER_EVENT_KINDS } from '../../gateway/protocol/messages.js';
import { repoRoot } from '../support/paths.js';

const doc = readFileSync(join(repoRoot(), 'docs', 'PROTOCOL.md'), 'utf8');

/** The text of one operation's section: from its heading to the next. */
function section(op: string): string | undefined {
  const start = doc.indexOf(`### \`${op}\``);
  if (start < 0) return undefined;
  const next = doc.indexOf('\n### ', start + 4);
  return doc.slice(start, next < 0 ? undefined : next);
}

test('every request has a section in PROTOCOL.md', () => {
  const missing = [...REQUESTS.keys()].filter((op) => section(op) === undefined);
  assert.deepEqual(missing, []);
});

test('every field of every request is named in its section (order fields in the place table)', () => {
  const missing: string[] = [];
  const placeSection = section('place')!;
  for (const [op, def] of REQUESTS) {
    const text = section(op) ?? '';
    for (const f of Object.keys(def.fields)) {
      if (!text.includes(`\`${f}\``) && !placeSection.includes(`| \`${f}\` |`)) missing.push(`${op}.${f}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every server message type, user event kind and the signature fields are documented', () => {
  const missing = [...Object.keys(SERVER_MESSAGES).map((t) => `| \`${t}\` |`), ...USER_EVENT_KINDS.map((k) => `| \`${k}\` |`), '`ts`', '`nonce`', '`sig`'].filter((s) => !doc.includes(s));
  assert.deepEqual(missing, []);
});

test('every gateway (6xxx) and exchange (7xxx) code is in the code table with its number', () => {
  const missing = Object.entries(Code)
    .filter(([, v]) => codeBand(v) === 6 || codeBand(v) === 7)
    .filter(([name, v]) => !doc.includes(`| ${v} | \`${name}\` |`))
    .map(([name]) => name);
  assert.deepEqual(missing, []);
});

/** The code tables' rows: code → [name, retryable column]. */
function codeRows(): Map<number, [string, string]> {
  const rows = new Map<number, [string, string]>();
  for (const m of doc.matchAll(/^\| (\d{4}) \| `([A-Z0-9_]+)` \| .* \| ([^|]+) \|$/gm)) rows.set(Number(m[1]), [m[2]!, m[3]!.trim()]);
  return rows;
}

test('every code a trader can be answered with (1xxx-4xxx, 5005 and 6xxx-7xxx) is in a code table with its name', () => {
  const rows = codeRows();
  const missing = Object.entries(Code)
    .filter(([, v]) => v !== Code.OK && (codeBand(v) !== 5 || v === Code.STORE_IO_FAILED))
    .filter(([name, v]) => rows.get(v)?.[0] !== name)
    .map(([name, v]) => `${v} ${name}`);
  assert.deepEqual(missing, []);
  // And the reverse: no row names a code the registry lacks (or gives it another number).
  const stale = [...rows].filter(([v, [name]]) => (Code as Record<string, number>)[name] !== v).map(([v, [name]]) => `${v} ${name}`);
  assert.deepEqual(stale, []);
});

test('the retryable column says what responses say: yes exactly for the codes the gateway marks retryable', () => {
  const wrong = [...codeRows()]
    // Operator HTTP codes travel in HTTP answers, CONNECTION_LIMIT in the refused upgrade: neither has the flag.
    .filter(([v]) => v < 6900 && v !== Code.CONNECTION_LIMIT)
    .filter(([v, [, col]]) => (RETRYABLE.has(v) ? !/^yes/.test(col) : /^yes/.test(col)))
    .map(([v, [name, col]]) => `${v} ${name}: '${col}'`);
  assert.deepEqual(wrong, []);
});

test('the drift check itself fails on a request the document lacks', () => {
  assert.equal(section('noSuchOperation'), undefined);
});
