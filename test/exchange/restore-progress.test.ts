// The restore tool's progress bar (exchange/restore/progress.ts) with its clock and stream injected, so
// nothing depends on how fast the test runs: nothing is drawn during the first second of work, the bar
// appears on the first update after it with the records done, and stop draws the final count and rate
// (records over the injected seconds); a run stopped within its first second draws nothing at all.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { progress } from '../../exchange/restore/progress.js';

/** A terminal-like stream that keeps what is written (cli-progress draws only where isTTY is true). */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 200;
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

const plain = (s: string) => s.replace(/\x1B(?:\[[0-9;?]*[A-Za-z]|[78])/g, '');

test('the progress bar draws nothing in the first second, then the records done and the rate by the injected clock', (t) => {
  let ms = 10_000;
  const stream = new FakeTerminal();
  const bar = progress('replaying', 4_000, { now: () => ms, stream });
  // A failed assertion must not leave the bar's redraw timer holding the process open.
  t.after(() => bar.stop());
  ms += 999;
  bar.update(500);
  assert.equal(stream.text, '', 'under a second: nothing drawn');
  ms += 1;
  bar.update(1_000);
  // The rate and the time left from the first frame: 1,000 records in 1 s, 3,000 to go.
  assert.match(plain(stream.text), /replaying \[[█░]+\] 25% \| 1000\/4000 records \| 1,000 rec\/s \| ETA 3s/, 'appears at one second with what is done');
  ms += 1_000;
  bar.update(2_000);
  // An update without progress (a long batch) keeps an estimate: 2,000 in 2.5 s, 2,000 to go.
  ms += 500;
  bar.update(2_000);
  ms += 1_500;
  bar.update(4_000);
  bar.stop();
  // 4,000 records in 4 s of the injected clock.
  const lines = plain(stream.text);
  assert.match(lines, /replaying \[█+\] 100% \| 4000\/4000 records \| 1,000 rec\/s \| ETA 0s/, lines);
  assert.doesNotMatch(lines, /INF|NULL|NF/, 'no placeholder for the time left');
  const after = stream.text.length;
  bar.stop();
  assert.equal(stream.text.length, after, 'a second stop draws nothing more');
});

test('a progress bar stopped within its first second draws nothing', (t) => {
  let ms = 0;
  const stream = new FakeTerminal();
  const bar = progress('reading journals', 100, { now: () => ms, stream });
  t.after(() => bar.stop());
  for (let done = 0; done <= 100; done += 10) {
    ms += 90;
    bar.update(done);
  }
  bar.stop();
  assert.equal(stream.text, '');
});
