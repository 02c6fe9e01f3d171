// The entry checks both shards share (docs/COMMANDS.md, "The checks at entry"): every u53 field of every
// command layout, the ids an answer echoes, the header flags, and the shard clock.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { HeaderFlag, MAX_TIME_US, MAX_U53, RecordBuffer } from '../../../engine/ring/record.js';
import { RecordType } from '../../../engine/ring/types.js';
import { clientOrderIdOf, commandIdOf, fieldRangeCode, flagsCode } from '../../../engine/shard/command-fields.js';
import { DEFAULT_TIME_HORIZON_US, ShardClock } from '../../../engine/shard/shard-clock.js';
import { COMMAND_U53_FIELDS, PAST_U53, putWords } from '../../support/hostile-fields.js';

test('every u53 field of every command is refused with its own code past 2^53, and accepted at 2^53 − 1', () => {
  assert.ok(COMMAND_U53_FIELDS.length >= 20, `${COMMAND_U53_FIELDS.length} fields`);
  const b = RecordBuffer.allocate(1);
  for (const f of COMMAND_U53_FIELDS) {
    for (const words of PAST_U53) {
      b.clear(0);
      putWords(b, 0, f.offset, words);
      assert.equal(fieldRangeCode(b, 0, f.layout.type), f.code, `${f.layout.name}.${f.name} = ${words}`);
    }
    b.clear(0);
    b.setU53(0, f.offset, MAX_U53);
    assert.equal(fieldRangeCode(b, 0, f.layout.type), Code.OK, `${f.layout.name}.${f.name} = 2^53 − 1`);
  }
});

test('the ids an answer echoes read 0 when the record holds more than a u53 there', () => {
  const b = RecordBuffer.allocate(1);
  b.setType(0, RecordType.PlaceOrder);
  b.setU53(0, 32, 77);
  b.setU53(0, 40, 88);
  assert.deepEqual([commandIdOf(b, 0), clientOrderIdOf(b, 0)], [77, 88]);
  b.u32[(40 >> 2) + 1] = 0x20_0000;
  b.u32[(32 >> 2) + 1] = 0xffff_ffff;
  assert.deepEqual([commandIdOf(b, 0), clientOrderIdOf(b, 0)], [0, 0]);
  b.clear(0);
  b.setType(0, RecordType.Deposit);
  b.setU53(0, 32, 5);
  assert.deepEqual([commandIdOf(b, 0), clientOrderIdOf(b, 0)], [5, 0], 'a request id is the id; requests carry no client id');
  b.setType(0, RecordType.AdvanceTime);
  assert.equal(commandIdOf(b, 0), 0, 'a timer tick carries no id');
});

test('a header flag other than OPERATOR is malformed', () => {
  const b = RecordBuffer.allocate(1);
  assert.equal(flagsCode(b, 0), Code.OK);
  b.setFlags(0, HeaderFlag.OPERATOR);
  assert.equal(flagsCode(b, 0), Code.OK);
  b.setFlags(0, 2);
  assert.equal(flagsCode(b, 0), Code.INVALID_FLAGS);
  b.setFlags(0, 0x8000_0000 | HeaderFlag.OPERATOR);
  assert.equal(flagsCode(b, 0), Code.INVALID_FLAGS);
});

test('the clock takes the first time, then refuses time that goes backwards or jumps past the horizon', () => {
  const c = new ShardClock(1_000);
  assert.equal(c.check(5_000_000), Code.OK, 'the first record sets the time');
  c.advance(5_000_000);
  assert.equal(c.check(5_000_000), Code.OK, 'the same time again');
  assert.equal(c.check(4_999_999), Code.TIME_WENT_BACKWARDS);
  assert.equal(c.check(5_001_000), Code.OK, 'exactly the horizon');
  assert.equal(c.check(5_001_001), Code.TIME_BEYOND_HORIZON);
  assert.equal(new ShardClock().check(MAX_TIME_US), Code.OK);
  assert.equal(new ShardClock().check(MAX_TIME_US + 1), Code.TIME_OUT_OF_RANGE);
  assert.equal(new ShardClock().check(2 ** 64), Code.TIME_OUT_OF_RANGE, 'what two words can hold');
  assert.equal(c.nowUs, 5_000_000, 'checks change nothing');
  assert.equal(DEFAULT_TIME_HORIZON_US, 7 * 24 * 3_600_000_000);
  assert.throws(() => new ShardClock(0), RangeError);
});
