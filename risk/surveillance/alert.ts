// Alert: what a detector found, with the evidence an operator needs to judge it and the input range that
// reproduces it. Plain data (structured-clone and JSON safe: numbers and strings only), built once per
// alert, never on the per-record path.
//
// Identity. An alert's id is a function of what it is about, not of when it was seen: detector, market,
// the accounts (ascending) and the first input record of its episode (stream and seq). A replay of the
// same stream raises the same ids, so storing an alert twice is a no-op (dedup by id), and a detector
// never raises two alerts for one episode (each detector keeps its own cooldown per account).

/** Detector ids: stable strings (they name alerts in storage, metrics and the operator API). */
export const DetectorId = {
  WASH_LINKED: 'wash-linked',
  WASH_CIRCULAR: 'wash-circular',
  SELF_TRADE_ATTEMPTS: 'self-trade-attempts',
  SPOOFING: 'spoofing',
  LAYERING: 'layering',
  FRONT_RUNNING: 'front-running',
  MOMENTUM_IGNITION: 'momentum-ignition',
  ORDER_TO_TRADE: 'order-to-trade',
  FAST_CANCELS: 'fast-cancels',
  QUOTE_STUFFING: 'quote-stuffing',
} as const;
export type DetectorId = (typeof DetectorId)[keyof typeof DetectorId];

export const DETECTOR_IDS: readonly DetectorId[] = Object.values(DetectorId);

/** Scores are integers in basis points of certainty-like strength: 0 (nothing) to 10,000 (as strong as the detector scores). */
const MAX_SCORE = 10_000;

/** One order as the evidence shows it: its life from acceptance to its end (0s while it lives). */
export interface EvidenceOrder {
  orderId: number;
  accountId: number;
  side: number;
  priceTicks: number;
  qtyLots: number;
  filledLots: number;
  acceptedUs: number;
  acceptedSeq: number;
  /** 0 while the order is open at the time of the alert. */
  endedUs: number;
  endedSeq: number;
  /** CancelReason of its end, 0 when open or filled out. */
  endReason: number;
  /** Best price on the order's own side when it was accepted (0: that side was empty). */
  touchTicks: number;
}

export interface EvidenceTrade {
  tradeId: number;
  seq: number;
  timeUs: number;
  priceTicks: number;
  qtyLots: number;
  takerAccountId: number;
  makerAccountId: number;
  takerOrderId: number;
  makerOrderId: number;
  /** Side of the taker (Side.BUY: the taker bought). */
  takerSide: number;
}

/** Best bid and ask at one instant (0: that side empty). */
export interface TouchPoint {
  timeUs: number;
  seq: number;
  bidTicks: number;
  askTicks: number;
}

/** Price levels [priceTicks, qtyLots], best first. */
export interface BookPicture {
  timeUs: number;
  seq: number;
  bids: [number, number][];
  asks: [number, number][];
}

export interface Alert {
  id: string;
  detector: DetectorId;
  marketId: number;
  /** Accounts the alert is about, ascending. */
  accounts: number[];
  score: number;
  /** The episode's time window (µs, inclusive). */
  fromUs: number;
  toUs: number;
  /** Input stream of the surveillance state machine the episode came from (1 + market shard index). */
  stream: number;
  /** Records [fromSeq, toSeq] of that stream hold the episode; replaying the stream to toSeq raises the alert again. */
  fromSeq: number;
  toSeq: number;
  /** What the detector measured, in words an operator reads (one line). */
  summary: string;
  /** The measured figures behind the score (integers, units in the key names). */
  figures: Record<string, number>;
  orders: EvidenceOrder[];
  trades: EvidenceTrade[];
  /** Best bid and ask through the episode, and the book when the alert was raised. */
  touches: TouchPoint[];
  book: BookPicture;
}

/** The deterministic id of an alert (see the file comment). */
export function alertId(detector: DetectorId, marketId: number, accounts: readonly number[], stream: number, fromSeq: number): string {
  return `${detector}:${marketId}:${accounts.join('+')}:${stream}:${fromSeq}`;
}

/** Clamps a non-negative integer score into [0, MAX_SCORE]. */
export function clampScore(score: number): number {
  if (!(score > 0)) return 0;
  return score >= MAX_SCORE ? MAX_SCORE : Math.floor(score);
}
