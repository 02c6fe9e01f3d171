// Command observers that check docs/RISK.md's invariants around every command an ActionDriver sends, and throw
// (failing the fast-check property, which then shrinks the world) at the first command that breaks one.
//
//   StateInvariants   after: the chosen state families (exchange-invariants.ts) and the violations the
//                     gateway log found while the command was carried (I3-I6, I9 per event)
//   BelowInitial      I7: a scope below initial margin never ends a user's order command with more MM
//   NegativeEquity    I11: no withdrawal is applied while a scope of the account's shard below zero holds
//                     it back (scopesHoldingBack: outside the pipeline any, inside it only for its possible
//                     ADL counterparties; one risk shard owns the whole pool in the default topology)

import { RecordType, recordTypeName } from '../../engine/ring/types.js';
import { scopesHoldingBack, scopesWithNegativeEquity } from '../../risk/shard/invariants.js';
import { MarginMode } from '../../risk/shard/state.js';
import type { Cmd } from '../support/commands.js';
import type { ActionDriver, CommandObserver } from './action-driver.js';
import { fundingClearingAtoms, fundingViolations, liquidationPriceViolations, moneyViolations, negativeOutsidePipeline } from './exchange-invariants.js';

class InvariantViolation extends Error {
  constructor(driver: ActionDriver, cmd: Cmd, lines: readonly string[]) {
    const h = driver.h;
    super(`after command ${h.log.commandIndex} (${recordTypeName(cmd.layout.type)} account ${cmd.header.accountId ?? 0} market ${cmd.header.marketId ?? 0}):\n  ${lines.join('\n  ')}`);
  }
}

export interface StateFamilies {
  readonly money?: boolean;
  readonly funding?: boolean;
  readonly prices?: boolean;
  /** I4 after the command: no scope below zero outside the pipeline. */
  readonly negative?: boolean;
  /** Per-event checks of the gateway log, by invariant: lines starting with one of these ('I4', 'I9'...). */
  readonly events?: readonly string[];
}

export class StateInvariants implements CommandObserver {
  private clearingBefore = 0n;
  private seen = 0;
  /** Cases of known-gaps.ts met and stepped around (commands after which one was seen). */
  readonly knownGapCases = { count: 0 };

  constructor(private readonly families: StateFamilies) {}

  before(d: ActionDriver): void {
    if (this.families.funding) this.clearingBefore = fundingClearingAtoms(d.h);
  }

  after(d: ActionDriver, cmd: Cmd): void {
    const f = this.families;
    const lines: string[] = [];
    if (f.events !== undefined) {
      const fresh = d.h.log.violations.slice(this.seen);
      this.seen = d.h.log.violations.length;
      lines.push(...fresh.filter((l) => f.events!.some((i) => l.includes(`${i}:`))));
    }
    if (f.money) lines.push(...moneyViolations(d.h));
    if (f.funding) lines.push(...fundingViolations(d.h, this.clearingBefore));
    if (f.prices) lines.push(...liquidationPriceViolations(d.h));
    if (f.negative) lines.push(...negativeOutsidePipeline(d.h, this.knownGapCases));
    if (lines.length > 0) throw new InvariantViolation(d, cmd, lines);
  }
}

/** The MM of the scope an order in `marketId` belongs to, and whether that scope is below initial margin. */
function scopeOfOrder(d: ActionDriver, accountId: number, marketId: number): { maintenanceAtoms: bigint; belowInitial: boolean } | undefined {
  const account = d.h.account(accountId);
  if (account === undefined) return undefined;
  const pos = account.positions.get(marketId);
  const f = d.h.riskShardOf(accountId).parts.scopeOf(account, pos !== undefined && pos.marginMode === MarginMode.ISOLATED ? pos : undefined);
  return { maintenanceAtoms: f.maintenanceAtoms, belowInitial: f.belowInitial };
}

export class BelowInitial implements CommandObserver {
  private before_: { maintenanceAtoms: bigint; belowInitial: boolean } | undefined;
  /** Commands checked with their scope below initial margin (a test asserts the case occurred). */
  checked = 0;

  before(d: ActionDriver, cmd: Cmd): void {
    const t = cmd.layout.type;
    this.before_ = t === RecordType.PlaceOrder || t === RecordType.AmendOrder ? scopeOfOrder(d, cmd.header.accountId!, cmd.header.marketId!) : undefined;
  }

  after(d: ActionDriver, cmd: Cmd): void {
    const was = this.before_;
    if (was === undefined || !was.belowInitial) return;
    this.checked++;
    const now = scopeOfOrder(d, cmd.header.accountId!, cmd.header.marketId!)!;
    if (now.maintenanceAtoms > was.maintenanceAtoms) {
      throw new InvariantViolation(d, cmd, [`I7: below initial margin, the scope's MM rose from ${was.maintenanceAtoms} to ${now.maintenanceAtoms}`]);
    }
  }
}

export class NegativeEquity implements CommandObserver {
  private negative = 0;
  private holdingBack = 0;
  /** Withdrawals sent while a scope had negative equity (a test asserts the case occurred). */
  blocked = 0;

  before(d: ActionDriver, cmd: Cmd): void {
    this.negative = 0;
    this.holdingBack = 0;
    if (cmd.layout.type !== RecordType.Withdraw) return;
    const state = d.h.riskShardOf(cmd.header.accountId!).state;
    this.negative = scopesWithNegativeEquity(state).length;
    this.holdingBack = scopesHoldingBack(state, cmd.header.accountId!).length;
  }

  after(d: ActionDriver, cmd: Cmd): void {
    if (this.negative === 0) return;
    this.blocked++;
    const requestId = cmd.body.requestId as number;
    if (this.holdingBack > 0 && d.h.log.withdrawalsApplied.has(requestId)) {
      throw new InvariantViolation(d, cmd, [`I11: withdrawal ${requestId} applied while ${this.holdingBack} scope(s) below zero held it back`]);
    }
  }
}
