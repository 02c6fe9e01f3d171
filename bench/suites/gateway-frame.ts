// gateway-frame: what the gateway spends at the edge on one order request, in one thread without sockets:
// decode the frame with the decoder limits, check it against the request schema, and encode the response
// frame (the shared FrameCodec, protocol/request.ts). The per-request cost the gateway adds before and
// after the exchange, and so a ceiling on requests per second per gateway core.
//
//   case place-edge    decode (limits, depth check) + readRequest (schema) + encode the `res` frame
//   case bare-msgpack  the peer: @msgpack/msgpack decode + encode of the same bytes and response, no
//                      limits and no schema (what any msgpack server pays at least)
//   case user-event    encode one `fill` user-stream frame with bigint atoms (sent once per event,
//                      whatever the number of sessions)
//
// place-edge reports `vsBare`: its p50 over the peer's (how much the checks cost on top).

import { decode, encode } from '@msgpack/msgpack';
import { Bench } from 'tinybench';
import { FrameCodec } from '../../gateway/protocol/codec.js';
import { readRequest } from '../../gateway/protocol/request.js';
import { fromTask, type CaseResult, type Suite } from '../harness.js';

const SUITE = 'gateway-frame';

const suite: Suite = {
  description: 'the gateway edge per order request: decode with limits + schema + response encode, vs bare msgpack',
  async run({ quick }) {
    const codec = new FrameCodec();
    const frame = encode({ op: 'place', id: 123_456, market: 1, side: 'buy', type: 'limit', price: 600_015, qty: 25, tif: 'postOnly', clientOrderId: 987_654_321 });
    const response = (id: number) => ({ t: 'res', id, rx: 1_765_000_000_000_000, tx: 1_765_000_000_000_050, rl: 1_999, ok: true, data: { orderId: 4_242_424, clientOrderId: 987_654_321, market: 1, price: 600_015, qty: 25, trigger: 0, acceptedUs: 1_765_000_000_000_040, replayed: false } });
    const fill = { t: 'user', epoch: 1_765_000_000_000_000, seq: 77, kind: 'fill', tradeId: 991, orderId: 4_242_424, market: 1, side: 'buy', price: 600_015, qty: 25, fee: 7_500n, realizedPnl: -1_234_567n, liquidity: 'maker', atUs: 1_765_000_000_000_040 };
    let sink = 0;
    const bench = new Bench({ time: quick ? 150 : 1_000, warmupTime: quick ? 50 : 250 });
    bench
      .add('place-edge', () => {
        const r = readRequest(codec.decode(frame));
        sink += codec.encode(response(r.id)).byteLength;
      })
      .add('bare-msgpack', () => {
        const m = decode(frame) as { id: number };
        sink += encode(response(m.id)).byteLength;
      })
      .add('user-event', () => {
        sink += codec.encode(fill).byteLength;
      });
    await bench.run();
    if (sink === 0) throw new Error('nothing encoded');
    const [edge, bare, user] = bench.tasks.map((t) => fromTask(SUITE, t)) as [CaseResult, CaseResult, CaseResult];
    edge['vsBare'] = Number((edge.p50Ns / bare.p50Ns).toFixed(2));
    return [edge, bare, user];
  },
};

export default suite;
