// One entry point for tools that hold snapshot bytes of either shard kind: the header says which, and the
// matching read-only view decodes it (market-shard-view.ts, risk-shard-view.ts). In risk/ because a risk
// view needs the risk layer and the market layer is below it.

import { MarketShardView } from '../../engine/shard/market-shard-view.js';
import { readHeader } from '../../engine/snapshot/snapshot-envelope.js';
import { ShardKind } from '../../engine/snapshot/snapshot-format.js';
import { RiskShardView } from './risk-shard-view.js';

export { MarketShardView } from '../../engine/shard/market-shard-view.js';
export { RiskShardView } from './risk-shard-view.js';

export type ShardSnapshotView = MarketShardView | RiskShardView;

/** Decodes a snapshot of either kind into its view; a SnapshotError when the bytes do not add up. */
export function viewSnapshot(bytes: Uint8Array): ShardSnapshotView {
  return readHeader(bytes).kind === ShardKind.MARKET ? new MarketShardView(bytes) : new RiskShardView(bytes);
}
