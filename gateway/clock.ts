// The gateway's clock: the one place perpx reads wall time for the exchange. The gateway stamps every
// command with it (timeUs), and state machines know no other time. Monotonic: never goes backwards, even
// if the system clock is stepped back.

let lastUs = 0;

export function nowUs(): number {
  const t = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastUs = t > lastUs ? t : lastUs + 1;
  return lastUs;
}
