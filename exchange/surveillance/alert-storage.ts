// AlertStorage: where alerts and what operators did with them are kept durably. The AlertBook writes
// through it before it answers, and rebuilds itself from it at start.
//
// The record design, for a key-value store with ordered keys and prefix ranges (persistence/'s Store):
//
//   key  "surv/alert/<id>"                          value  the Alert as UTF-8 JSON (alert.ts: numbers and
//                                                          strings only, so JSON is exact)
//   key  "surv/action/<id>/<n, 10 digits>"          value  an AlertAction as UTF-8 JSON; n counts from 1
//                                                          per alert, so a prefix scan of one alert's
//                                                          actions is its audit trail in order
//   key  "surv/owner/<account, 10 digits>"          value  the account's OwnerLink (the operator's latest
//                                                          declaration; owner 0 is a removed one, kept
//                                                          with who removed it)
//   key  "surv/owner-log/<n, 10 digits>"            value  every declaration in the order made (n from 1),
//                                                          each with the time it took effect (atUs): the
//                                                          links as they were at any time, which an
//                                                          alert's replay is given (alert-replay.ts)
//   key  "surv/integrity/<market, 10>/<day, 10>"    value  the market's IntegrityReport of that UTC day
//                                                          (the day so far, replaced as it grows, then
//                                                          the complete day)
//
// putAlert is idempotent by id (a replayed stream raises the same ids: the store keeps the first);
// actions and the owner log are append-only (never rewritten, never deleted); an owner link or an
// integrity report replaces the one under its key (a link and its log entry are written together). MemoryAlertStorage below keeps them in the
// process (tests, an exchange without a data directory); StoreAlertStorage (store-alert-storage.ts) puts
// the same keys and values in persistence/'s Store, under its alerts family ('A' + the key text).

import type { Alert } from '../../risk/surveillance/alert.js';
import type { IntegrityReport } from '../../risk/surveillance/integrity/integrity-stats.js';

export const AlertActionKind = { ACKNOWLEDGE: 'acknowledge', ESCALATE: 'escalate' } as const;
export type AlertActionKind = (typeof AlertActionKind)[keyof typeof AlertActionKind];

/** One operator action on an alert: who, when (µs), what, and why. */
export interface AlertAction {
  alertId: string;
  /** 1, 2, 3... per alert. */
  n: number;
  kind: AlertActionKind;
  operator: string;
  atUs: number;
  note: string;
}

/**
 * An operator's declaration that an account belongs to a beneficial owner (accounts sharing an owner id
 * are linked: wash-linked and front-running look for them); ownerId 0 removes the declaration.
 */
export interface OwnerLink {
  accountId: number;
  ownerId: number;
  operator: string;
  atUs: number;
  note: string;
}

export interface AlertStorage {
  /** Stores the alert unless one with its id is stored; true when it was new. */
  putAlert(alert: Alert): Promise<boolean>;
  /** The stored alert of this id. */
  getAlert(id: string): Promise<Alert | undefined>;
  /** Appends an action (its n is the next for its alert). */
  appendAction(action: AlertAction): Promise<void>;
  /** Everything stored: every alert once (in no promised order: the book sorts), actions in order per alert. */
  loadAll(): Promise<{ alerts: Alert[]; actions: AlertAction[] }>;
  /** Stores an account's owner link, replacing the one before it, and appends it to the owner log as entry n. */
  putOwner(link: OwnerLink, n: number): Promise<void>;
  /** Every account's latest link (removed ones included), in account order. */
  loadOwners(): Promise<OwnerLink[]>;
  /** The owner log: every declaration, in the order made. */
  loadOwnerLog(): Promise<OwnerLink[]>;
  /** Stores a market's integrity report of a day, replacing the one before it. */
  putIntegrity(report: IntegrityReport): Promise<void>;
  /** Every stored integrity report, by market then day. */
  loadIntegrity(): Promise<IntegrityReport[]>;
}

export const ALERT_PREFIX = 'surv/alert/';
export const ACTION_PREFIX = 'surv/action/';
export const OWNER_PREFIX = 'surv/owner/';
export const OWNER_LOG_PREFIX = 'surv/owner-log/';
export const INTEGRITY_PREFIX = 'surv/integrity/';

const pad10 = (n: number) => String(n).padStart(10, '0');

export function ownerKey(accountId: number): string {
  return OWNER_PREFIX + pad10(accountId);
}

export function ownerLogKey(n: number): string {
  return OWNER_LOG_PREFIX + pad10(n);
}

export function integrityKey(marketId: number, day: number): string {
  return `${INTEGRITY_PREFIX}${pad10(marketId)}/${pad10(day)}`;
}

export function alertKey(id: string): string {
  return ALERT_PREFIX + id;
}

export function actionKey(alertId: string, n: number): string {
  return `${ACTION_PREFIX}${alertId}/${String(n).padStart(10, '0')}`;
}

export function encodeValue(v: Alert | AlertAction | OwnerLink | IntegrityReport): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(v));
}

export function decodeValue<T>(bytes: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}

/** Keeps the encoded records in memory, in the shape a Store would hold them. */
export class MemoryAlertStorage implements AlertStorage {
  private readonly records = new Map<string, Uint8Array>();

  async putAlert(alert: Alert): Promise<boolean> {
    const key = alertKey(alert.id);
    if (this.records.has(key)) return false;
    this.records.set(key, encodeValue(alert));
    return true;
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const bytes = this.records.get(alertKey(id));
    return bytes && decodeValue<Alert>(bytes);
  }

  async appendAction(action: AlertAction): Promise<void> {
    const key = actionKey(action.alertId, action.n);
    if (this.records.has(key)) throw new Error(`action ${action.n} of alert ${action.alertId} is already stored`);
    this.records.set(key, encodeValue(action));
  }

  async loadAll(): Promise<{ alerts: Alert[]; actions: AlertAction[] }> {
    const alerts: Alert[] = [];
    const actions: AlertAction[] = [];
    for (const [key, value] of this.records) {
      if (key.startsWith(ALERT_PREFIX)) alerts.push(decodeValue<Alert>(value));
    }
    for (const key of [...this.records.keys()].filter((k) => k.startsWith(ACTION_PREFIX)).sort()) actions.push(decodeValue<AlertAction>(this.records.get(key)!));
    return { alerts, actions };
  }

  async putOwner(link: OwnerLink, n: number): Promise<void> {
    if (this.records.has(ownerLogKey(n))) throw new Error(`owner log entry ${n} is already stored`);
    this.records.set(ownerKey(link.accountId), encodeValue(link));
    this.records.set(ownerLogKey(n), encodeValue(link));
  }

  async loadOwners(): Promise<OwnerLink[]> {
    return this.scan<OwnerLink>(OWNER_PREFIX);
  }

  async loadOwnerLog(): Promise<OwnerLink[]> {
    return this.scan<OwnerLink>(OWNER_LOG_PREFIX);
  }

  async putIntegrity(report: IntegrityReport): Promise<void> {
    this.records.set(integrityKey(report.marketId, report.day), encodeValue(report));
  }

  async loadIntegrity(): Promise<IntegrityReport[]> {
    return this.scan<IntegrityReport>(INTEGRITY_PREFIX);
  }

  private scan<T>(prefix: string): T[] {
    return [...this.records.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .map((k) => decodeValue<T>(this.records.get(k)!));
  }

  /** Stored records (tests). */
  get size(): number {
    return this.records.size;
  }
}
