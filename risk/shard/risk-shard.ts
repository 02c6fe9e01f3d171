// RiskShard: the deterministic state machine of one risk-shard thread (docs/RISK-SHARD.md). It owns the
// accounts a with a mod shardCount = shardId outright, consumes records from its input streams in the
// order the worker hands them over, and writes records to its output streams. Same inputs in the same
// order → same state and the same output records, bit for bit: no clock (time is each record's timeUs),
// no randomness, no iteration in insertion order where it could reach an output.
//
//   input 0: gateway ──▶ account commands (account-commands.ts) ─┐
//                    └─▶ order commands, pre-trade (pre-trade.ts) ─┼─▶ market stream s (checked orders)
//   input 1+s: market ──▶ order lifecycle (order-events.ts)        │
//                     ├─▶ TradeExecuted (trade-settlement.ts)      ├─▶ gateway stream (user events,
//                     ├─▶ MarkPriceUpdated ─▶ margin monitor        │   rejections)
//                     └─▶ FundingRateApplied (funding-settlement.ts)┘
//   after every record: the margin monitor's bounded share of deferred work (AdvanceTime carries it when
//   nothing else arrives)
//
// Each input stream is contiguous from seq 1: a re-delivered record is skipped, a gap is fatal
// (InputPositions). The liquidation engine is built by the factory over the same state and drives the
// world only through the shard's RiskEffects (shard-effects.ts).
//
// A gateway command meets, before its handler sees it (docs/COMMANDS.md): the shard's clock (time never
// backwards, never past the horizon), the header flags, who may send it (command-permissions.ts), every
// u53 field of its layout (command-fields.ts) and the account this shard owns. A refused command gets
// exactly one OrderRejected and changes nothing: not even the deferred work every other record carries.
// Thread contract: the risk-shard thread only.

import { Code } from '../../engine/codes.js';
import { MarkPriceUpdatedLayout } from '../../engine/ring/layouts/mark-price-updated.js';
import { HeaderFlag, type RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { fieldRangeCode, flagsCode } from '../../engine/shard/command-fields.js';
import { permissionCode } from '../../engine/shard/command-permissions.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import { InputPositions } from '../../engine/shard/input-positions.js';
import { checkOutputs, type ShardStreams } from '../../engine/snapshot/shard-streams.js';
import { constructed, hex64, type DecodeOptions } from '../../engine/snapshot/snapshot-checks.js';
import { SnapshotError } from '../../engine/snapshot/snapshot-error.js';
import type { EncodeBuffer } from '../../engine/snapshot/snapshot-writer.js';
import { isTimeCode } from '../../engine/shard/shard-clock.js';
import { adjustIsolatedMargin, deposit, setFeeTier, setLeverage, setMarginMode, topUpInsuranceFund, withdraw } from './account-commands.js';
import type { RiskMarketConfig, RiskPoolConfig } from './config.js';
import { fundingRateApplied } from './funding-settlement.js';
import { checkInvariants, type InvariantOptions } from './invariants.js';
import { orderAccepted, orderAmended, orderEnded, orderRejected } from './order-events.js';
import { amendOrder, passThrough, placeOrder, setAccountConfig } from './pre-trade.js';
import { LiquidationEngine } from './liquidation-engine.js';
import { listMarketPart } from './market-listing.js';
import { encodeRiskShard, openRiskSnapshot } from './risk-snapshot.js';
import { AccountsInStep, riskStateHash } from './risk-state-hash.js';
import type { LiquidationHooks, RiskEffects } from './seams.js';
import { ShardEffects } from './shard-effects.js';
import { ShardParts } from './shard-parts.js';
import type { RiskState } from './state.js';
import { tradeExecuted } from './trade-settlement.js';

const MK = MarkPriceUpdatedLayout.offsets;

/** Builds the liquidation engine over the shard's state and effects (the real one: LiquidationEngine). */
export type LiquidationFactory = (state: RiskState, effects: RiskEffects) => LiquidationHooks;

export interface RiskDecodeOptions extends DecodeOptions {
  /** Where each market's commands go now; must agree with the snapshot (default: the snapshot's). */
  readonly marketShardOf?: (marketId: number) => number;
  /** Default: the real LiquidationEngine over the snapshot's pool configuration. */
  readonly liquidation?: LiquidationFactory;
}

export class RiskShard {
  readonly state: RiskState;
  readonly parts: ShardParts;
  readonly liquidation: LiquidationHooks;
  /** How the liquidation engine acts on the world (shard-effects.ts), handed to its factory. */
  readonly effects: RiskEffects;
  private readonly positions = new InputPositions();
  /** Records handled (duplicates excluded). */
  handled = 0;

  constructor(
    shardId: number,
    shardCount: number,
    markets: readonly RiskMarketConfig[],
    pool: RiskPoolConfig,
    marketShardOf: (marketId: number) => number,
    private readonly gateway: EventOutput,
    private readonly marketOutputs: readonly EventOutput[],
    liquidation: LiquidationFactory,
  ) {
    this.parts = new ShardParts(shardId, shardCount, markets, pool, marketShardOf, gateway, marketOutputs);
    this.state = this.parts.state;
    this.effects = new ShardEffects(this.parts);
    this.liquidation = liquidation(this.state, this.effects);
    this.parts.setHooks(this.liquidation);
  }

  lastSeq(input: number): number {
    return this.positions.lastSeq(input);
  }

  /** Re-delivered records skipped, for monitoring. */
  get duplicates(): number {
    return this.positions.duplicates;
  }

  /** Records written to every output stream since start. */
  get eventCount(): number {
    return this.parts.events.eventCount + this.parts.commands.sent;
  }

  /** Publishes what the last batch of handle() calls wrote (an outbox also drains what it can). */
  flush(): void {
    this.gateway.flush();
    for (let i = 0; i < this.marketOutputs.length; i++) this.marketOutputs[i]!.flush();
  }

  handle(buf: RecordBuffer, at: number, input: number): void {
    if (!this.positions.accept(input, buf.seq(at))) return;
    this.handled++;
    // A funding round still open closes at any record but its own kind and the timer tick that opened it
    // (funding-settlement.ts): those are the records one tick sends here from several threads at once.
    // Before a market record (a mark queues multi-market scopes for its own reason), after a gateway
    // command is accepted (a refused one changes nothing).
    const type = buf.type(at);
    const closesFunding = type !== RecordType.FundingRateApplied && type !== RecordType.AdvanceTime;
    if (input === 0) {
      if (!this.gatewayRecord(buf, at)) return;
      if (closesFunding) this.parts.monitor.releaseFunded();
    } else {
      if (closesFunding) this.parts.monitor.releaseFunded();
      this.marketRecord(buf, at);
    }
    this.parts.monitor.work(this.parts.pool.maxChecksPerUpdate, buf.timeUs(at));
    // Liquidation steps only after the record's checks, so a step never depends on whether a scope the
    // same record made liquidatable was triggered yet, and only once the market input it came from wrote
    // its last record here (HeaderFlag.MORE; escalation-order.ts).
    this.parts.hooks.afterRecord(buf.timeUs(at), input, input !== 0 && (buf.flags(at) & HeaderFlag.MORE) !== 0);
    this.parts.quintiles.work();
  }

  /** Deferred work is waiting: margin-monitor checks carried over, or an ADL ranking job under way. */
  hasDeferredWork(): boolean {
    return this.parts.monitor.hasPendingWork() || this.parts.quintiles.jobRunning();
  }

  /**
   * Hash of the whole shard state (risk-state-hash.ts lists what it covers), in the definition of the
   * risk snapshot format this build writes, or `inStep`'s.
   */
  stateHash(inStep?: AccountsInStep): bigint {
    return riskStateHash(this.parts, { inputs: this.positions.snapshot(), gateway: this.gateway, markets: this.marketOutputs }, inStep);
  }

  /**
   * The same hash in the definition of risk snapshot format `version` (1 or 2), for comparing a replay with
   * a snapshot an older build wrote (perpx-restore verify).
   */
  stateHashAs(version: number): bigint {
    return riskStateHash(this.parts, { inputs: this.positions.snapshot(), gateway: this.gateway, markets: this.marketOutputs }, undefined, version);
  }

  /** Where the shard stands in its streams (snapshots: engine/snapshot/shard-streams.ts). */
  streamPositions(): ShardStreams {
    return {
      inputs: this.positions.snapshot(),
      duplicates: this.positions.duplicates,
      handled: this.handled,
      gatewayNextSeq: this.gateway.nextSeq,
      outputNextSeqs: this.marketOutputs.map((o) => o.nextSeq),
      surveillanceNextSeq: 0,
      clockUs: this.parts.clock.nowUs,
      counters: [this.parts.events.eventCount, this.parts.commands.sent],
    };
  }

  /** Snapshot decode: the stream positions and counters of the encoded shard. */
  restoreStreams(s: ShardStreams): void {
    checkOutputs(s, this.gateway, this.marketOutputs, 'market');
    this.positions.restore(s.inputs, s.duplicates);
    this.parts.clock.advance(s.clockUs);
    this.handled = s.handled;
    this.parts.events.eventCount = s.counters[0] ?? 0;
    this.parts.commands.sent = s.counters[1] ?? 0;
  }

  /**
   * The whole state as snapshot bytes (risk-snapshot.ts, docs/SNAPSHOTS.md). Call between records.
   * `into`: a buffer kept between encodes by a caller done with each snapshot before the next
   * (EncodeBuffer); the bytes are then a view of it, overwritten by the next encode into it.
   */
  encodeState(into?: EncodeBuffer): Uint8Array {
    return encodeRiskShard(this, into);
  }

  /**
   * A shard from snapshot bytes, writing to these outputs, which must continue the encoded shard's streams
   * (readSnapshotStreams gives their next seqs). The configuration, the shard's identity and its markets'
   * market shards come from the snapshot; `marketShardOf`, when given, must agree with them. The state
   * hash is checked against the one the snapshot recorded (unless options.verifyHash is false); anything
   * that does not add up is a SnapshotError.
   */
  static decode(bytes: Uint8Array, gateway: EventOutput, marketOutputs: readonly EventOutput[], options: RiskDecodeOptions = {}): RiskShard {
    const snapshot = openRiskSnapshot(bytes);
    const c = snapshot.config;
    checkOutputs(snapshot.streams, gateway, marketOutputs, 'market');
    const stored = new Map(c.markets.map((m, i) => [m.market.marketId, c.marketShards[i]!]));
    const given = options.marketShardOf;
    if (given !== undefined) {
      const moved = [...stored].filter(([m, s]) => given(m) !== s);
      if (moved.length > 0) throw new SnapshotError(Code.SNAPSHOT_STREAM_MISMATCH, `markets on other market shards than in the snapshot: ${moved.map(([m, s]) => `${m} (snapshot ${s}, now ${given(m)})`).join(', ')}`);
    }
    const factory = options.liquidation ?? ((state, effects) => new LiquidationEngine(state, effects, c.pool));
    const shard = constructed(() => new RiskShard(c.shardId, c.shardCount, c.markets, c.pool, given ?? ((m) => stored.get(m) ?? -1), gateway, marketOutputs, factory));
    // The check hashes each account as soon as it is built, while it is still in the cache (AccountsInStep),
    // in the hash definition of the snapshot's format version (a version-1 snapshot: the old mixer).
    const inStep = options.verifyHash === false ? undefined : new AccountsInStep(shard.parts, snapshot.header.version);
    snapshot.restoreInto(shard, inStep);
    if (inStep === undefined) return shard;
    const hash = shard.stateHash(inStep);
    if (hash !== snapshot.header.stateHash) throw new SnapshotError(Code.SNAPSHOT_HASH_MISMATCH, `risk shard ${c.shardId}: decoded state hashes to ${hex64(hash)}, the snapshot recorded ${hex64(snapshot.header.stateHash)}`);
    return shard;
  }

  /** The state hash without stream positions: what a refused command must leave unchanged. */
  stateHashExcludingStreams(): bigint {
    return riskStateHash(this.parts);
  }

  /** docs/RISK.md invariants readable from state (invariants.ts), plus the I9 breach count. */
  checkInvariants(options: InvariantOptions): string[] {
    const out = checkInvariants(this.state, options);
    if (this.parts.reduceOnlyBreaches > 0) out.push(`I9: ${this.parts.reduceOnlyBreaches} reduce-only fill(s) grew or flipped a position`);
    return out;
  }

  /** One gateway command: applied (true), or refused with one OrderRejected and nothing changed (false). */
  private gatewayRecord(buf: RecordBuffer, at: number): boolean {
    const type = buf.type(at);
    const p = this.parts;
    const timeUs = buf.timeUs(at);
    let code = p.clock.check(timeUs);
    if (code === Code.OK) code = flagsCode(buf, at);
    if (code === Code.OK) code = permissionCode(buf, at);
    if (code === Code.OK) code = fieldRangeCode(buf, at, type);
    // The gateway's timer and the operator's listings belong to no account.
    if (code === Code.OK) code = type === RecordType.AdvanceTime ? Code.OK : type === RecordType.ListMarket ? listMarketPart(p, buf, at) : this.state.owns(buf.accountId(at)) ? this.command(type, buf, at) : Code.INVALID_ACCOUNT;
    if (code === Code.OK) {
      p.clock.advance(timeUs);
      return true;
    }
    p.events.rejected(buf, at, code, isTimeCode(code) ? p.clock.nowUs : timeUs);
    return false;
  }

  /** Dispatches a command that passed the entry checks; Code.OK once applied, else its refusal. */
  private command(type: number, buf: RecordBuffer, at: number): number {
    const p = this.parts;
    switch (type) {
      case RecordType.Deposit:
        return deposit(p, buf, at);
      case RecordType.Withdraw:
        return withdraw(p, buf, at);
      case RecordType.SetLeverage:
        return setLeverage(p, buf, at);
      case RecordType.SetMarginMode:
        return setMarginMode(p, buf, at);
      case RecordType.AdjustIsolatedMargin:
        return adjustIsolatedMargin(p, buf, at);
      case RecordType.SetFeeTier:
        return setFeeTier(p, buf, at);
      case RecordType.TopUpInsuranceFund:
        return topUpInsuranceFund(p, buf, at);
      case RecordType.PlaceOrder:
        return placeOrder(p, buf, at);
      case RecordType.AmendOrder:
        return amendOrder(p, buf, at);
      case RecordType.CancelOrder:
      case RecordType.CancelAllOrders:
        return passThrough(p, buf, at);
      case RecordType.SetAccountConfig:
        return setAccountConfig(p, buf, at);
      default:
        return Code.UNKNOWN_COMMAND;
    }
  }

  private marketRecord(buf: RecordBuffer, at: number): void {
    const p = this.parts;
    const type = buf.type(at);
    switch (type) {
      case RecordType.TradeExecuted:
        return tradeExecuted(p, buf, at);
      case RecordType.MarkPriceUpdated:
        return this.markPriceUpdated(buf, at);
      case RecordType.FundingRateApplied:
        return fundingRateApplied(p, buf, at);
      default:
    }
    if (!this.state.owns(buf.accountId(at))) return;
    switch (type) {
      case RecordType.OrderAccepted:
        return orderAccepted(p, buf, at);
      case RecordType.OrderRejected:
        return orderRejected(p, buf, at);
      case RecordType.OrderCancelled:
      case RecordType.OrderExpired:
        return orderEnded(p, buf, at);
      case RecordType.OrderAmended:
        return orderAmended(p, buf, at);
      default:
    }
  }

  /** A new mark (and index, funding estimate, staleness) for one market: the monitor takes it from here. */
  private markPriceUpdated(buf: RecordBuffer, at: number): void {
    const market = this.state.markets.get(buf.marketId(at));
    if (market === undefined) return;
    const mark = buf.u53At(at, MK.markPriceTicks);
    market.indexPriceTicks = BigInt(buf.u53At(at, MK.indexPriceTicks));
    market.lastFundingRate = buf.i64At(at, MK.fundingRate);
    market.nextFundingTimeUs = buf.u53At(at, MK.nextFundingTimeUs);
    // A stale index freezes the mark (the market shard repeats the last one) and makes the market reduce-only.
    market.reduceOnly = buf.u8At(at, MK.stale) === 1;
    if (mark <= 0) return;
    market.markPriceTicks = BigInt(mark);
    this.parts.monitor.onMark(market.spec.marketId, mark);
    // Scopes parked mid-pipeline (waiting for a mark or a counterparty) get a bounded retry per mark.
    this.parts.hooks.onMarkUpdated(market.spec.marketId, buf.timeUs(at));
  }
}
