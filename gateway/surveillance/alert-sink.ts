// Where the surveillance workers' alerts go on the main thread: into the AlertBook first (stored durably
// and deduplicated before anything else sees them), then, when new, onto the operator MQTT topic
// (alert-topic.ts) through the market-data bus's connection. An alert raised again (a restarted
// exchange replays its journal, and its workers raise their earlier alerts with the same ids) is not
// announced again. The bus notifies and may drop while its broker is away; the book is the record.

import type { AlertBook } from '../../exchange/surveillance/alert-book.js';
import type { Alert } from '../../risk/surveillance/alert.js';
import { alertMessage } from './alert-topic.js';

/** The part of the bus publisher (gateway/bus/publisher.ts) alerts need. */
export interface AlertBus {
  publishOther(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean): boolean;
}

export interface AlertSinkOptions {
  readonly bus?: AlertBus;
  /** The bus's topic prefix (default perpx). */
  readonly prefix?: string;
  /** A failed store (the alert is not in the book; the worker does not raise it again until a restart). */
  readonly onError?: (e: unknown, alert: Alert) => void;
}

/** The ThreadedSurveillance.onAlert to wire: resolves true when the alert was new. */
export function alertSink(book: AlertBook, o: AlertSinkOptions = {}): (alert: Alert) => Promise<boolean> {
  return async (alert) => {
    let fresh: boolean;
    try {
      fresh = await book.ingest(alert);
    } catch (e) {
      o.onError?.(e, alert);
      return false;
    }
    if (fresh && o.bus !== undefined) {
      const m = alertMessage(alert, o.prefix);
      o.bus.publishOther(m.topic, m.payload, m.qos, m.retain);
    }
    return fresh;
  };
}
