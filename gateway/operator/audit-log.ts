// The operator audit log: one JSON line per operator call (who, what, when, outcome), appended to a file
// under the data directory and fsync'd before the call is answered, so an answered call is on disk.
// The file is only ever appended to (opened 'a'); entries carry a sequence number that continues across
// restarts. A crash mid-write can leave a torn last line: open() ends it with a newline so the next
// entry starts clean, and read() reports such lines as torn instead of failing.
//
// What is written is what the operator asked and what came of it, never credentials: the Authorization
// header is not part of an entry, and body fields named like secrets are replaced (redact()).

import { open, readFile, type FileHandle } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AuditEntry {
  /** 1, 2, ... in the order the calls were answered, continuing across restarts. */
  readonly seq: number;
  /** Wall-clock time the call was answered, µs since the epoch. */
  readonly atUs: number;
  /** The operator id, or null when the call carried no valid credentials. */
  readonly operator: string | null;
  readonly method: string;
  readonly path: string;
  /** The query string and JSON body as received, secrets redacted. */
  readonly query?: string;
  readonly body?: unknown;
  /** HTTP status of the answer. */
  readonly status: number;
  /** "ok", or the error name of the answer (UNAUTHENTICATED, OPERATOR_FORBIDDEN, a result code...). */
  readonly outcome: string;
  /** The client's address. */
  readonly remote?: string;
}

export type AuditInput = Omit<AuditEntry, 'seq'>;

const SECRET = /token|secret|password|signature|authorization|key/i;

/** A copy of a JSON value with the values of secret-sounding fields replaced by "[redacted]". */
function redact(v: unknown, depth = 0): unknown {
  if (depth > 8) return '[too deep]';
  if (Array.isArray(v)) return v.map((x) => redact(x, depth + 1));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET.test(k) ? '[redacted]' : redact(x, depth + 1)]));
  return v;
}

export class AuditLog {
  /** Appends are chained, so entries reach the file in seq order and one at a time. */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
    private nextSeq: number,
  ) {}

  static async open(path: string): Promise<AuditLog> {
    mkdirSync(dirname(path), { recursive: true });
    let next = 1;
    let torn = false;
    if (existsSync(path)) {
      const { entries, endsClean } = await AuditLog.read(path);
      next = (entries.at(-1)?.seq ?? 0) + 1;
      torn = !endsClean;
    }
    const file = await open(path, 'a', 0o600);
    if (torn) {
      await file.appendFile('\n');
      await file.datasync();
    }
    return new AuditLog(path, file, next);
  }

  /** Every entry in the file, plus how many lines could not be read (a torn write) and whether it ends a line. */
  static async read(path: string): Promise<{ entries: AuditEntry[]; torn: number; endsClean: boolean }> {
    const text = await readFile(path, 'utf8');
    const entries: AuditEntry[] = [];
    let torn = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        torn++;
      }
    }
    return { entries, torn, endsClean: text.length === 0 || text.endsWith('\n') };
  }

  /** Appends one entry and resolves once it is on disk (fdatasync). */
  append(e: AuditInput): Promise<AuditEntry> {
    if (this.closed) return Promise.reject(new Error('audit log closed'));
    const entry: AuditEntry = { seq: this.nextSeq++, ...e, body: e.body === undefined ? undefined : redact(e.body) };
    const line = JSON.stringify(entry) + '\n';
    const done = this.tail.then(async () => {
      await this.file.appendFile(line);
      await this.file.datasync();
      return entry;
    });
    this.tail = done.catch(() => {});
    return done;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    await this.file.close();
  }
}
