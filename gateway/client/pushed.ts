// Which event a server-pushed frame is for, read from its first bytes without decoding it: the client's
// `skipUnheard` option drops the frames of an event nobody listens to unread. The gateway writes every
// frame's `t` first (docs/PROTOCOL.md); a frame written some other way, a response, or anything this does
// not recognise is decoded as usual, so a wrong guess here can only cost a decode, never lose a response.

/** The client event a pushed frame would be emitted as. */
export type PushedEvent = 'user' | 'userSnapshot' | 'md' | 'notice';

const T_RES = 'res';

/**
 * The event of a pushed frame (a map whose first key is `t`, a short string other than "res"), or
 * undefined for a response and for anything else (the client then decodes the frame).
 */
export function pushedEvent(b: Uint8Array): PushedEvent | undefined {
  const h = b[0]!;
  // the first key's offset after the map's header: fixmap, map16 (user-stream events have ~20 fields), map32
  const k = h >= 0x80 && h <= 0x8f ? 1 : h === 0xde ? 3 : h === 0xdf ? 5 : 0;
  if (k === 0 || b.length < k + 4 || b[k] !== 0xa1 || b[k + 1] !== 0x74) return undefined;
  // the value: a fixstr of 1-31 bytes
  const vh = b[k + 2]!;
  const len = vh - 0xa0;
  if (len < 1 || len > 31 || b.length < k + 3 + len) return undefined;
  const at = k + 3;
  if (same(b, at, len, T_RES)) return undefined;
  if (same(b, at, len, 'user')) return 'user';
  if (same(b, at, len, 'userSnapshot')) return 'userSnapshot';
  if (same(b, at, len, 'md')) return 'md';
  return 'notice';
}

/** Whether the `len` bytes at `at` are the ASCII text `s`. */
function same(b: Uint8Array, at: number, len: number, s: string): boolean {
  if (len !== s.length) return false;
  for (let i = 0; i < len; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}
