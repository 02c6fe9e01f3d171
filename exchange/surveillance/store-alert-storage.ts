// StoreAlertStorage: alerts and operator actions in persistence/'s Store (RocksDB), so they survive a
// restart. The records are alert-storage.ts's keys and values, each key text under the Store's alerts
// family ('A', persistence/keys.ts), so they share a data directory's key space with nothing else.
//
// Every write is synced before it resolves: the AlertBook lists an alert, and answers an operator's
// acknowledgement, only once it is durable. Deduplication by id holds across restarts (a restarted
// exchange replays its journal and the surveillance worker raises the same alerts again, with the same
// ids): an id already in the store, or being written, is not written again.
//
// Thread contract: one owner (the main thread's AlertBook); the Store handle is this storage's alone.

import { alertsKey, alertsRange } from '../../persistence/keys.js';
import type { Store } from '../../persistence/store.js';
import type { Alert } from '../../risk/surveillance/alert.js';
import type { IntegrityReport } from '../../risk/surveillance/integrity/integrity-stats.js';
import {
  ACTION_PREFIX,
  ALERT_PREFIX,
  INTEGRITY_PREFIX,
  OWNER_LOG_PREFIX,
  OWNER_PREFIX,
  actionKey,
  alertKey,
  decodeValue,
  encodeValue,
  integrityKey,
  ownerKey,
  ownerLogKey,
  type AlertAction,
  type AlertStorage,
  type OwnerLink,
} from './alert-storage.js';

export class StoreAlertStorage implements AlertStorage {
  /** Ids stored or being stored by this handle: a second put of one waits for nothing and writes nothing. */
  private readonly known = new Set<string>();

  constructor(private readonly store: Store) {}

  async putAlert(alert: Alert): Promise<boolean> {
    if (this.known.has(alert.id)) return false;
    this.known.add(alert.id);
    try {
      const key = alertsKey(alertKey(alert.id));
      if ((await this.store.get(key)) !== undefined) return false;
      await this.store.write([{ type: 'put', key, value: encodeValue(alert) }], true);
      return true;
    } catch (e) {
      // Not stored: a later put of the same alert must try again.
      this.known.delete(alert.id);
      throw e;
    }
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const bytes = await this.store.get(alertsKey(alertKey(id)));
    return bytes && decodeValue<Alert>(bytes);
  }

  async appendAction(action: AlertAction): Promise<void> {
    const key = alertsKey(actionKey(action.alertId, action.n));
    if ((await this.store.get(key)) !== undefined) throw new Error(`action ${action.n} of alert ${action.alertId} is already stored`);
    await this.store.write([{ type: 'put', key, value: encodeValue(action) }], true);
  }

  async loadAll(): Promise<{ alerts: Alert[]; actions: AlertAction[] }> {
    const alerts: Alert[] = [];
    const actions: AlertAction[] = [];
    for await (const e of this.store.scan(alertsRange(ALERT_PREFIX))) {
      const a = decodeValue<Alert>(e.value);
      this.known.add(a.id);
      alerts.push(a);
    }
    // Key order is each alert's actions in n order (n is zero-padded).
    for await (const e of this.store.scan(alertsRange(ACTION_PREFIX))) actions.push(decodeValue<AlertAction>(e.value));
    return { alerts, actions };
  }

  async putOwner(link: OwnerLink, n: number): Promise<void> {
    const logKey = alertsKey(ownerLogKey(n));
    if ((await this.store.get(logKey)) !== undefined) throw new Error(`owner log entry ${n} is already stored`);
    const value = encodeValue(link);
    // One write: the link in force and its log entry are stored together or not at all.
    await this.store.write(
      [
        { type: 'put', key: alertsKey(ownerKey(link.accountId)), value },
        { type: 'put', key: logKey, value },
      ],
      true,
    );
  }

  async loadOwners(): Promise<OwnerLink[]> {
    return this.scan<OwnerLink>(OWNER_PREFIX);
  }

  async loadOwnerLog(): Promise<OwnerLink[]> {
    return this.scan<OwnerLink>(OWNER_LOG_PREFIX);
  }

  async putIntegrity(report: IntegrityReport): Promise<void> {
    await this.store.write([{ type: 'put', key: alertsKey(integrityKey(report.marketId, report.day)), value: encodeValue(report) }], true);
  }

  async loadIntegrity(): Promise<IntegrityReport[]> {
    return this.scan<IntegrityReport>(INTEGRITY_PREFIX);
  }

  /** Key order: the padded numbers in the keys make it account order, log order, or market then day. */
  private async scan<T>(prefix: string): Promise<T[]> {
    const out: T[] = [];
    for await (const e of this.store.scan(alertsRange(prefix))) out.push(decodeValue<T>(e.value));
    return out;
  }
}
