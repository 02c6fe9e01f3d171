// ProtocolError: a refusal at the protocol edge, with a stable code from engine/codes.ts (6xxx) and the
// field it concerns when there is one.

import { codeName } from '../../engine/codes.js';

export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly field?: string,
  ) {
    super(`${codeName(code)}: ${message}`);
    this.name = 'ProtocolError';
  }
}
