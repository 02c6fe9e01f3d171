// The child process of the gateway crash test: a durable exchange (journals under argv[2]) behind a
// gateway whose store is a RocksDB of its own (argv[3]), on a loopback port. On its first start it
// creates one account, a key for the public key in argv[4] (hex), funds it and marks the market; on every
// start it recovers and tells the parent { type: 'ready', port, accountId, keyId } over IPC. The parent
// kills it with SIGKILL whenever it likes.

import { RocksStore } from '../../../persistence/rocksdb-store.js';
import { durableAt, MID, startHarness } from './harness.js';

const [dir, gwDir, publicKeyHex] = process.argv.slice(2) as [string, string, string];
const store = await RocksStore.open(gwDir, { createIfMissing: true });
const h = await startHarness({ durability: await durableAt(dir), store });
let keyId = h.gateway.keys.list()[0];
let accountId: number;
if (keyId === undefined) {
  accountId = await h.gateway.keys.createAccount('crash-test');
  ({ keyId } = await h.gateway.keys.createKey('crash-test', { accountId, publicKey: Buffer.from(publicKeyHex, 'hex'), scopes: ['read', 'trade'] }));
  const a = await h.gateway.operatorDeposit('crash-test', accountId, 10_000_000n * 1_000_000n);
  if (!a.ok) throw new Error(`deposit refused ${a.code}`);
} else accountId = h.gateway.keys.describe(keyId)!.accountId;
await h.mark(MID);
process.send!({ type: 'ready', port: Number(new URL(h.url).port), accountId, keyId });
