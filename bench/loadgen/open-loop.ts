// The load generator's schedule: open loop at a fixed rate, spread round-robin over many connections.
// Request k is due at start + k / rate whatever happened to earlier ones (a slow server does not slow
// the offered load: that is what "open loop" means, and why a backlog shows up as latency). Each
// request's latency, from the moment it was written to the socket to its answer, goes into an HDR
// histogram (hdr-histogram-js, µs); how late the generator itself sent requests against their schedule
// goes into a second one, so a run where the generator could not keep up says so.

import * as hdr from 'hdr-histogram-js';

/** One connection of the load: sends request `id`, and calls the ack callback it was made with on its answer. */
export interface LoadConnection {
  send(id: number): void;
  close(): Promise<void>;
  /** The code of a close the server made before close() was called (SLOW_CONSUMER: 4017), if any. */
  closeCode?(): number | undefined;
}

/** Called with each answer: the request's id, ok or refused, and the answer itself (the gateway's carries rx, tx and the order id: --trace keeps them). */
export type OnAck = (id: number, ok: boolean, answer: Record<string, unknown>) => void;

export type Connect = (onAck: OnAck) => Promise<LoadConnection>;

/**
 * Every count and rate of a run is in orders: a request of a batched run (`units` > 1, a batchPlace of
 * that many orders) counts as that many, its latency is recorded once per order it carried, and its
 * refusals are counted per order (a refused request: all of them; an answered batch: each item refused).
 */
export interface RunResult {
  /** Offered rate, orders per second. */
  readonly rate: number;
  readonly seconds: number;
  readonly sent: number;
  readonly acked: number;
  /** Orders per request (1, or the batch size). */
  readonly units: number;
  /** Answers that were refusals (ok false), in orders. */
  readonly refused: number;
  /** Requests without an answer by the end of the drain. */
  readonly lost: number;
  /** Of those, requests of connections the server closed (sent before or after its close). */
  readonly lostOnClosed: number;
  /** Refusals by code. */
  readonly refusedByCode: Readonly<Record<number, number>>;
  /** Connections the server closed during the run, by close code (4017: SLOW_CONSUMER). */
  readonly serverCloses: Readonly<Record<number, number>>;
  /** Answers per second over the sending window plus the drain. */
  readonly achievedRate: number;
  /** Request to answer, µs. */
  readonly p50Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
  /** Request to answer of the answers that were not refusals, µs: under overload, what a taken order waits. */
  readonly okP50Us: number;
  readonly okP99Us: number;
  /** How late the generator sent, µs (p99): large means the generator, not the server, was the limit. */
  readonly sendLagP99Us: number;
  /** How often the sending loop waited for I/O: about 1,000 per second at the timer pace, at any rate. */
  readonly wakes: number;
  /** The generator's own CPU over the sending window, % of one core (spinning pace: about 100 whatever the rate). */
  readonly generatorCpuPct: number;
  /** The generator's own CPU over the sending window per order sent, µs (user + system: its sends, its reads of the answers). */
  readonly generatorCpuUsPerOrder: number;
  /** What the window's observer says of the target (its CPU per request, its own stats), if any. */
  readonly target?: Record<string, unknown>;
}

/** Watches the target over one run: from the first send to the end of the drain. */
export interface RunWindow {
  open(): Promise<void>;
  close(acked: number): Promise<Record<string, unknown>>;
}

const nowUs = () => performance.now() * 1000;
const yieldToIo = () => new Promise<void>((r) => setImmediate(r));
const sleep1ms = () => new Promise<void>((r) => setTimeout(r, 1));

/**
 * How the generator waits between sends. `spin`: it yields to I/O and comes straight back (setImmediate),
 * sending each request on time but keeping one core busy whatever the rate: on a 2-core machine that core
 * is taken from the target. `timer`: it sleeps a timer tick (about 1 ms) whenever nothing is due, then
 * sends everything that fell due meanwhile; requests leave up to a tick late (the send lag says how late:
 * latency is still measured from the actual send), and the generator costs CPU in proportion to the rate.
 */
export type Pace = 'spin' | 'timer';

/**
 * Above this many cores the generator may spin: the gateway target's busy threads (main, risk shard,
 * market workers, journal writer) and a spinning generator then fit the cores. At or below it a spinning
 * generator holds a core the target's threads need, and they wait on run queues (bench/RESULTS.md, "gwlat").
 */
const AUTO_SPIN_CORES = 4;

/** The pace `--pace auto` picks on a machine of `cores` cores. */
export function autoPace(cores: number): Pace {
  return cores > AUTO_SPIN_CORES ? 'spin' : 'timer';
}

function histogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
}

/** Item refusals of an answered batch (`data.results`: one `{ ok, code }` per order), counted by code. */
function refusedItems(answer: Record<string, unknown>, byCode: Record<number, number>): number {
  const results = (answer['data'] as Record<string, unknown> | undefined)?.['results'];
  if (!Array.isArray(results)) return 0;
  let n = 0;
  for (const item of results as Record<string, unknown>[]) {
    if (item['ok'] !== false) continue;
    const code = Number(item['code'] ?? 0);
    byCode[code] = (byCode[code] ?? 0) + 1;
    n++;
  }
  return n;
}

/**
 * Runs one open-loop load of `rate` orders/s for `seconds` over `conns`, `units` orders per request (a
 * batch; the request rate is rate / units); waits up to drainMs for late answers. `window` is opened
 * once the connections are up and closed after the drain.
 */
export async function runOpenLoop(connect: Connect, connections: number, rate: number, seconds: number, drainMs = 2_000, window?: RunWindow, pace: Pace = 'spin', units = 1): Promise<RunResult> {
  const total = Math.floor((rate / units) * seconds);
  const sentAt = new Float64Array(total);
  const latency = histogram();
  const okLatency = histogram();
  const lag = histogram();
  let acked = 0;
  let refused = 0;
  let lastAckUs = 0;
  const refusedByCode: Record<number, number> = {};
  const onAck = (id: number, ok: boolean, answer: Record<string, unknown>) => {
    const t = nowUs();
    if (id < 0 || id >= total || sentAt[id] === 0) return;
    const us = Math.max(1, Math.round(t - sentAt[id]!));
    latency.recordValueWithCount(us, units);
    sentAt[id] = 0;
    acked++;
    if (ok) {
      okLatency.recordValueWithCount(us, units);
      if (units > 1) refused += refusedItems(answer, refusedByCode);
    } else {
      refused += units;
      const code = Number((answer['error'] as Record<string, unknown> | undefined)?.['code'] ?? 0);
      refusedByCode[code] = (refusedByCode[code] ?? 0) + units;
    }
    lastAckUs = t;
  };
  const conns = await Promise.all(Array.from({ length: connections }, () => connect(onAck)));
  await window?.open();
  const start = nowUs();
  const cpu0 = process.cpuUsage();
  const perUs = rate / units / 1_000_000;
  let next = 0;
  let wakes = 0;
  while (next < total) {
    const now = nowUs();
    const due = Math.min(total, Math.floor((now - start) * perUs) + 1);
    while (next < due) {
      const intended = start + next / perUs;
      const t = nowUs();
      lag.recordValue(Math.max(1, Math.round(t - intended)));
      sentAt[next] = t;
      conns[next % connections]!.send(next);
      next++;
    }
    // Let the sockets flush and answers come in: the event loop is the only I/O thread here. The timer
    // pace sleeps whenever nothing is due, however near the next request is: it used to yield instead when
    // the next one was under 50 µs away, which from 20,000/s on was always, so it spun a core after all.
    wakes++;
    if (pace === 'spin') await yieldToIo();
    else await sleep1ms();
  }
  const sendEnd = nowUs();
  const cpu = process.cpuUsage(cpu0);
  while (acked < total && nowUs() - sendEnd < drainMs * 1000) await new Promise((r) => setTimeout(r, 5));
  const target = await window?.close(acked * units);
  const serverCloses: Record<number, number> = {};
  const closedConn = conns.map((c) => c.closeCode?.());
  for (const code of closedConn) if (code !== undefined) serverCloses[code] = (serverCloses[code] ?? 0) + 1;
  let lostOnClosed = 0;
  for (let id = 0; id < total; id++) if (sentAt[id] !== 0 && closedConn[id % connections] !== undefined) lostOnClosed += units;
  await Promise.all(conns.map((c) => c.close()));
  const span = ((lastAckUs > sendEnd ? lastAckUs : sendEnd) - start) / 1_000_000;
  const result: RunResult = {
    rate,
    seconds,
    units,
    sent: total * units,
    acked: acked * units,
    refused,
    lost: (total - acked) * units,
    lostOnClosed,
    refusedByCode,
    serverCloses,
    achievedRate: Math.round((acked * units) / span),
    p50Us: latency.getValueAtPercentile(50),
    p99Us: latency.getValueAtPercentile(99),
    p999Us: latency.getValueAtPercentile(99.9),
    maxUs: latency.maxValue,
    okP50Us: okLatency.getValueAtPercentile(50),
    okP99Us: okLatency.getValueAtPercentile(99),
    sendLagP99Us: lag.getValueAtPercentile(99),
    wakes,
    generatorCpuPct: Math.round(((cpu.user + cpu.system) / Math.max(1, sendEnd - start)) * 100),
    generatorCpuUsPerOrder: Math.round(((cpu.user + cpu.system) / Math.max(1, total * units)) * 100) / 100,
    ...(target && { target }),
  };
  latency.destroy();
  okLatency.destroy();
  lag.destroy();
  return result;
}

/**
 * Sustained: every request answered, the answers kept pace with the offer (at least 95% of the rate over
 * the window, so no backlog built up), and p99 under the bound.
 */
export function sustained(r: RunResult, p99BoundUs: number): boolean {
  return r.lost === 0 && r.achievedRate >= r.rate * 0.95 && r.p99Us <= p99BoundUs;
}
