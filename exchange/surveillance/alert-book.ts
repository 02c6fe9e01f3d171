// AlertBook: the main thread's view of every alert the surveillance worker raised, for operators: stored
// through AlertStorage before it is listed (durable first), deduplicated by id, filtered for listing, and
// acknowledged or escalated with a note (each action stored as an audit record). Counters for /metrics.
// The book keeps what a list shows (each alert's summary, status and actions); an alert's evidence (its
// orders, trades, touches and book, about 20 KB of JSON in the demo's) is read back from the storage when
// one alert is asked for, so the main thread's memory grows by a summary per alert, not by its evidence.
//
// Thread contract: the main thread only (the worker's alerts arrive there by message).

import { DETECTOR_IDS, type Alert, type DetectorId } from '../../risk/surveillance/alert.js';
import { AlertActionKind, type AlertAction, type AlertStorage } from './alert-storage.js';

export const AlertStatus = { OPEN: 'open', ACKNOWLEDGED: 'acknowledged', ESCALATED: 'escalated' } as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];

export interface AlertFilter {
  detector?: DetectorId;
  marketId?: number;
  accountId?: number;
  /** Episodes ending at or after / starting at or before these times (µs). */
  fromUs?: number;
  toUs?: number;
  minScore?: number;
  status?: AlertStatus;
  limit?: number;
  offset?: number;
}

/** An alert without its evidence: what a list shows. */
export interface AlertSummary {
  id: string;
  detector: DetectorId;
  marketId: number;
  accounts: number[];
  score: number;
  fromUs: number;
  toUs: number;
  summary: string;
  status: AlertStatus;
}

export interface AlertCase {
  alert: Alert;
  status: AlertStatus;
  actions: AlertAction[];
}

/** What the book keeps of an alert. */
interface Kept {
  summary: Omit<AlertSummary, 'status'>;
  status: AlertStatus;
  actions: AlertAction[];
}

export class AlertActionError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_NOTE',
    message: string,
  ) {
    super(message);
  }
}

const MAX_NOTE = 2_000;

export class AlertBook {
  private readonly cases = new Map<string, Kept>();
  /** Ids newest first (by the episode's end, then id), rebuilt lazily after ingests. */
  private order: string[] = [];
  private sorted = true;
  /** Alerts raised per detector, duplicates skipped, since start. */
  readonly raised = new Map<DetectorId, number>(DETECTOR_IDS.map((d) => [d, 0]));
  duplicates = 0;
  /** The last action being stored (act). */
  private actions: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: AlertStorage) {}

  /** Rebuilds the book from storage (at start). */
  async load(): Promise<void> {
    const { alerts, actions } = await this.storage.loadAll();
    for (const a of alerts) this.index(a);
    for (const x of actions) this.apply(x);
  }

  /** Stores and indexes an alert; false when its id was seen before (nothing changes). */
  async ingest(alert: Alert): Promise<boolean> {
    if (this.cases.has(alert.id)) {
      this.duplicates++;
      return false;
    }
    const fresh = await this.storage.putAlert(alert);
    if (!fresh || this.cases.has(alert.id)) {
      this.duplicates++;
      return false;
    }
    this.index(alert);
    this.raised.set(alert.detector, (this.raised.get(alert.detector) ?? 0) + 1);
    return true;
  }

  list(f: AlertFilter = {}): { total: number; alerts: AlertSummary[] } {
    const matches: AlertSummary[] = [];
    for (const id of this.ordered()) {
      const c = this.cases.get(id)!;
      const a = c.summary;
      if (f.detector !== undefined && a.detector !== f.detector) continue;
      if (f.marketId !== undefined && a.marketId !== f.marketId) continue;
      if (f.accountId !== undefined && !a.accounts.includes(f.accountId)) continue;
      if (f.fromUs !== undefined && a.toUs < f.fromUs) continue;
      if (f.toUs !== undefined && a.fromUs > f.toUs) continue;
      if (f.minScore !== undefined && a.score < f.minScore) continue;
      if (f.status !== undefined && c.status !== f.status) continue;
      matches.push({ ...a, status: c.status });
    }
    const offset = f.offset ?? 0;
    return { total: matches.length, alerts: matches.slice(offset, offset + (f.limit ?? 100)) };
  }

  /** One alert with its evidence (read back from the storage), status and actions. */
  async get(id: string): Promise<AlertCase | undefined> {
    const c = this.cases.get(id);
    if (c === undefined) return undefined;
    const alert = await this.storage.getAlert(id);
    if (alert === undefined) throw new Error(`alert ${id} is listed but its storage no longer holds it`);
    return { alert, status: c.status, actions: [...c.actions] };
  }

  /**
   * Acknowledges or escalates an alert with a note; stored before it takes effect. Actions are stored one
   * at a time: two at once (an operator's double click, two officers) each take the next number, where
   * both took the same one and the second was refused as already stored.
   */
  act(id: string, kind: AlertActionKind, operator: string, note: string, atUs: number): Promise<AlertCase> {
    const c = this.cases.get(id);
    if (c === undefined) return Promise.reject(new AlertActionError('NOT_FOUND', `no alert ${id}`));
    const text = note.trim();
    if (text.length === 0 || text.length > MAX_NOTE) return Promise.reject(new AlertActionError('BAD_NOTE', `a note of 1 to ${MAX_NOTE} characters is required`));
    const done = this.actions.then(async () => {
      const action: AlertAction = { alertId: id, n: c.actions.length + 1, kind, operator, atUs, note: text };
      await this.storage.appendAction(action);
      this.apply(action);
      return (await this.get(id))!;
    });
    this.actions = done.catch(() => {});
    return done;
  }

  /** Alerts by status and by detector (the figures /metrics exposes). */
  counts(): { byDetector: Record<string, number>; byStatus: Record<AlertStatus, number> } {
    const byStatus: Record<AlertStatus, number> = { open: 0, acknowledged: 0, escalated: 0 };
    for (const c of this.cases.values()) byStatus[c.status]++;
    return { byDetector: Object.fromEntries(this.raised), byStatus };
  }

  get size(): number {
    return this.cases.size;
  }

  private index(a: Alert): void {
    if (this.cases.has(a.id)) return;
    const summary = { id: a.id, detector: a.detector, marketId: a.marketId, accounts: [...a.accounts], score: a.score, fromUs: a.fromUs, toUs: a.toUs, summary: a.summary };
    this.cases.set(a.id, { summary, status: AlertStatus.OPEN, actions: [] });
    this.order.push(a.id);
    this.sorted = false;
  }

  private apply(x: AlertAction): void {
    const c = this.cases.get(x.alertId);
    if (c === undefined) return;
    c.actions.push(x);
    // Escalation sticks: acknowledging an escalated alert records the note but keeps it escalated.
    if (x.kind === AlertActionKind.ESCALATE) c.status = AlertStatus.ESCALATED;
    else if (c.status === AlertStatus.OPEN) c.status = AlertStatus.ACKNOWLEDGED;
  }

  private ordered(): string[] {
    if (!this.sorted) {
      this.order.sort((x, y) => {
        const a = this.cases.get(x)!.summary;
        const b = this.cases.get(y)!.summary;
        return b.toUs - a.toUs || (x < y ? -1 : x > y ? 1 : 0);
      });
      this.sorted = true;
    }
    return this.order;
  }
}
