// Test helper: a Parker that records each park's timeout instead of sleeping, and an idle loop over it.

import type { Parker, WaitStrategy } from '../../../engine/ring/wait-strategy.js';

export class RecordingParker implements Parker {
  readonly timeouts: number[] = [];
  park(_hasWork: () => boolean, timeoutMs: number): void {
    this.timeouts.push(timeoutMs);
  }
}

const noWork = (): boolean => false;

export function idleTimes(wait: WaitStrategy, bell: Parker, times: number): void {
  for (let i = 0; i < times; i++) wait.idle(bell, noWork);
}
