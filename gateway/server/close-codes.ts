// WebSocket close codes the gateway uses: 4000 + the gateway code's last three digits (6017 SLOW_CONSUMER
// closes with 4017), so a client reads the same stable code from a close as from an error response.
// The server also uses 1001 (going away: the gateway is stopping) and ws's own 1009 for a frame past
// maxFrameBytes (FRAME_TOO_LARGE).

import { codeName } from '../../engine/codes.js';

export function closeCodeOf(gatewayCode: number): number {
  return 4000 + (gatewayCode % 1000);
}

export function closeReasonOf(gatewayCode: number): string {
  return codeName(gatewayCode);
}
