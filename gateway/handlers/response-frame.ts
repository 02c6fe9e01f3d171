// A request's `res` frame when it succeeded (every order's answer), written from a template: its header
// entries' bytes made once and no message object built, instead of the frame writer's walk of a fresh
// `{ t: 'res', id, rx, tx, rl, ok: true, data }` for every answer. The same bytes (keys in that order, data
// left out when undefined): test/gateway/response-frame.test.ts compares them with the library's.

import { constantBytes, type FrameWriter } from '../protocol/frame-writer.js';

const T_RES = constantBytes('t', 'res');
const ID = constantBytes('id');
const RX = constantBytes('rx');
const TX = constantBytes('tx');
const RL = constantBytes('rl');
const OK = constantBytes('ok', true);
const DATA = constantBytes('data');

/** `{ t: 'res', id, rx, tx, rl, ok: true, data }` encoded: a shared view of the writer's buffer, valid until its next frame. */
export function writeOkResponse(w: FrameWriter, id: number, rx: number, tx: number, rl: number, data: unknown): Uint8Array {
  const at = w.beginMap();
  w.fixed(T_RES);
  let n = 1 + w.field(ID, id) + w.field(RX, rx) + w.field(TX, tx) + w.field(RL, rl);
  w.fixed(OK);
  n += 1 + w.field(DATA, data);
  return w.endMap(at, n);
}
