// The pipeline's transition table (risk/shard/liquidation-steps.ts): what each step boundary decides.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Next, nextStep, type BoundaryFacts } from '../../../risk/shard/liquidation-steps.js';

const open: BoundaryFacts = { committed: false, liquidatable: true, equityAtoms: 100n, flat: false, closingOpen: false, sweptEmpty: false };

test('before the full close: park without a mark, healthy leaves, equity above zero steps down, at or below zero commits', () => {
  assert.equal(nextStep({ ...open, liquidatable: undefined }), Next.PARK);
  assert.equal(nextStep({ ...open, liquidatable: false }), Next.HEALTHY);
  assert.equal(nextStep({ ...open, liquidatable: false, flat: true, equityAtoms: -1n }), Next.COMMIT, 'a flat scope below zero is settled');
  assert.equal(nextStep(open), Next.STEP_DOWN);
  assert.equal(nextStep({ ...open, equityAtoms: 0n }), Next.COMMIT);
});

test('in the full close: healthy again leaves with what is left, ADL only after a sweep at this mark took nothing', () => {
  const closing: BoundaryFacts = { ...open, committed: true, closingOpen: true };
  assert.equal(nextStep({ ...closing, liquidatable: false }), Next.HEALTHY);
  assert.equal(nextStep(closing), Next.SWEEP);
  assert.equal(nextStep({ ...closing, sweptEmpty: true }), Next.ADL);
  assert.equal(nextStep({ ...closing, liquidatable: undefined }), Next.SWEEP, 'no mark: the sweep parks');
  assert.equal(nextStep({ ...closing, closingOpen: false }), Next.NEXT_POSITION);
  assert.equal(nextStep({ ...closing, closingOpen: false, flat: true, liquidatable: false }), Next.COMPLETE);
});
