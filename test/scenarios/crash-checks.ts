// The assertions every flash-crash scenario makes, registered as node:test tests for one scenario. The
// scenario runs once (on the first test that needs it) and its report is printed.
//
//   invariants     no violation after any command: per-event I3-I6 and I9, the command's funding (I3),
//                  and every 30 simulated minutes and at the end conservation, open interest, fund ≥ 0
//                  (I1, I2, I5) and published liquidation prices (I12)
//   end state      no scope below zero equity, none still in the pipeline, nothing left below zero by it
//   what happened  per scenario: the fund paid shortfalls, positions stepped down, ADL ran past the budget

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scopesWithNegativeEquity } from '../../risk/shard/invariants.js';
import { moneyViolations } from '../property/exchange-invariants.js';
import { runCrash, type CrashRun, type CrashScenario } from './crash-run.js';
import { formatReport, type CrashReport } from './crash-report.js';

export interface CrashExpectations {
  /** Facts the scenario exists to show, each a sentence and a check of the report. */
  readonly shows: readonly (readonly [title: string, holds: (r: CrashReport) => boolean])[];
}

export function crashTests(scenario: CrashScenario, expect: CrashExpectations): void {
  let run: CrashRun | undefined;
  const crash = (): CrashRun => {
    if (run === undefined) {
      run = runCrash(scenario, { checkEveryMinutes: 30 });
      console.log(formatReport(run.report));
    }
    return run;
  };

  test(`${scenario.name}: every invariant held after every command of the day`, () => {
    assert.deepEqual(crash().violations, []);
  });

  test(`${scenario.name}: the day ends with open interest balanced and collateral conserved to the atom`, () => {
    assert.deepEqual(moneyViolations(crash().harness), []);
  });

  test(`${scenario.name}: no scope ends the day below zero equity`, () => {
    const h = crash().harness;
    assert.deepEqual(h.exchange.riskShards.flatMap((s) => scopesWithNegativeEquity(s.state)), []);
    assert.equal(crash().report.leftNegative, 0);
  });

  test(`${scenario.name}: every scope that entered the liquidation pipeline left it`, () => {
    assert.equal(crash().report.stillOpen, 0);
  });

  for (const [title, holds] of expect.shows) {
    test(`${scenario.name}: ${title}`, () => {
      assert.ok(holds(crash().report), formatReport(crash().report));
    });
  }
}
