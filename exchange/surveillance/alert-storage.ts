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
//
// putAlert is idempotent by id (a replayed stream raises the same ids: the store keeps the first);
// actions are append-only (never rewritten, never deleted). MemoryAlertStorage below keeps them in the
// process (tests, an exchange without a data directory); StoreAlertStorage (store-alert-storage.ts) puts
// the same keys and values in persistence/'s Store, under its alerts family ('A' + the key text).

import type { Alert } from '../../risk/surveillance/alert.js';

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

export interface AlertStorage {
  /** Stores the alert unless one with its id is stored; true when it was new. */
  putAlert(alert: Alert): Promise<boolean>;
  /** Appends an action (its n is the next for its alert). */
  appendAction(action: AlertAction): Promise<void>;
  /** Everything stored: every alert once (in no promised order: the book sorts), actions in order per alert. */
  loadAll(): Promise<{ alerts: Alert[]; actions: AlertAction[] }>;
}

export const ALERT_PREFIX = 'surv/alert/';
export const ACTION_PREFIX = 'surv/action/';

export function alertKey(id: string): string {
  return ALERT_PREFIX + id;
}

export function actionKey(alertId: string, n: number): string {
  return `${ACTION_PREFIX}${alertId}/${String(n).padStart(10, '0')}`;
}

export function encodeValue(v: Alert | AlertAction): Uint8Array {
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

  /** Stored records (tests). */
  get size(): number {
    return this.records.size;
  }
}
