// Operator credentials: bearer tokens, each naming an operator and the roles it holds. They come from a
// JSON file ({"operators": [{"id": "alice", "token": "...", "roles": ["exchange:read", ...]}]}); when no
// file is given, the data directory's operators.json is used, and on a first start one admin token is
// generated there (mode 0600) and returned so `npm start` can print it once.
//
// Tokens are compared as SHA-256 digests with timingSafeEqual: neither the length nor the content of a
// wrong token leaks through timing. A token is never logged or written to the audit log.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Operator } from '../surveillance/operator-routes.js';

/** Roles of the operator HTTP server (surveillance's own are in surveillance/operator-routes.ts). */
export const OperatorRole = {
  /** List markets, read the exchange's state. */
  READ: 'exchange:read',
  /** Credit deposits from custody. */
  FUNDS: 'exchange:funds',
  /** Halt and resume markets, set the index source. */
  MARKETS: 'exchange:markets',
  /** Create accounts and API keys, revoke keys. */
  ACCOUNTS: 'exchange:accounts',
} as const;

/** Every role a generated admin token holds. */
export const ALL_ROLES: readonly string[] = [...Object.values(OperatorRole), 'surveillance:read', 'surveillance:act'];

export class OperatorConfigError extends Error {}

interface Entry {
  readonly operator: Operator;
  readonly digest: Buffer;
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export class OperatorTokens {
  private constructor(private readonly entries: readonly Entry[]) {}

  static of(operators: readonly { id: string; token: string; roles: readonly string[] }[]): OperatorTokens {
    const ids = new Set<string>();
    for (const o of operators) {
      if (typeof o.id !== 'string' || !/^[A-Za-z0-9_.@-]{1,64}$/.test(o.id)) throw new OperatorConfigError(`operator id ${JSON.stringify(o.id)} must be 1-64 letters, digits or _.@-`);
      if (ids.has(o.id)) throw new OperatorConfigError(`operator ${o.id} is listed twice`);
      ids.add(o.id);
      if (typeof o.token !== 'string' || o.token.length < 16) throw new OperatorConfigError(`operator ${o.id}: token must be a string of at least 16 characters`);
      if (!Array.isArray(o.roles) || !o.roles.every((r) => typeof r === 'string')) throw new OperatorConfigError(`operator ${o.id}: roles must be a list of role names`);
    }
    return new OperatorTokens(operators.map((o) => ({ operator: { id: o.id, roles: [...o.roles] }, digest: digest(o.token) })));
  }

  /** Reads a tokens file; a missing or malformed one is an OperatorConfigError naming the file. */
  static load(path: string): OperatorTokens {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new OperatorConfigError(`${path}: ${(e as Error).message}`);
    }
    const operators = (parsed as { operators?: unknown } | null)?.operators;
    if (!Array.isArray(operators)) throw new OperatorConfigError(`${path}: expected {"operators": [...]}`);
    try {
      return OperatorTokens.of(operators);
    } catch (e) {
      throw new OperatorConfigError(`${path}: ${(e as Error).message}`);
    }
  }

  /**
   * The tokens file at `path`, created with one admin operator holding every role when absent. Returns
   * the generated token only when it was created now (to be printed once).
   */
  static loadOrCreate(path: string): { tokens: OperatorTokens; generated?: { id: string; token: string } } {
    if (existsSync(path)) return { tokens: OperatorTokens.load(path) };
    const token = randomBytes(24).toString('base64url');
    const operators = [{ id: 'admin', token, roles: ALL_ROLES }];
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ operators }, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    return { tokens: OperatorTokens.of(operators), generated: { id: 'admin', token } };
  }

  /** The operator an Authorization header names ("Bearer <token>"), undefined for anything else. */
  authenticate(authorization: string | undefined): Operator | undefined {
    if (authorization === undefined) return undefined;
    const m = /^Bearer ([\x21-\x7e]{1,512})$/.exec(authorization);
    if (!m) return undefined;
    const d = digest(m[1]!);
    let found: Operator | undefined;
    // Every entry is compared, so the time taken does not say which one matched.
    for (const e of this.entries) if (timingSafeEqual(e.digest, d)) found = e.operator;
    return found;
  }
}
