// The fuzz test's command stream (test/exchange/fuzz.test.ts): seeded valid flow (deposits, orders of
// every type around the mark, cancels, amends, index moves with jumps that liquidate, timer ticks that
// cross funding times, account and operator commands) with hostile records mixed in. A hostile record is
// either a valid command with one field, header or body, set to a boundary value, or a record of any type
// (commands, events, unknown ids) whose every field takes one: 0, 1, 2^31, 2^32, 2^53 − 1, 2^53, 2^63,
// 2^64 − 1, unknown accounts and markets, unknown flag bits, and times backwards, past the horizon or past
// what a record may carry. The stream is raw records, stamped with the gateway's clock: valid commands
// carry it, hostile times are ones no shard may take.

import { CancelReason, OrderType, TimeInForce, TriggerSource } from '../../engine/enums.js';
import { AdjustIsolatedMarginLayout } from '../../engine/ring/layouts/adjust-isolated-margin.js';
import { AdvanceTimeLayout } from '../../engine/ring/layouts/advance-time.js';
import { AmendOrderLayout } from '../../engine/ring/layouts/amend-order.js';
import { CancelAllOrdersLayout } from '../../engine/ring/layouts/cancel-all-orders.js';
import { CancelOrderLayout } from '../../engine/ring/layouts/cancel-order.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { encodeRecord, LAYOUTS, type RecordHeaderInput } from '../../engine/ring/layouts/index.js';
import type { Layout } from '../../engine/ring/layouts/layout.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { SetAccountConfigLayout } from '../../engine/ring/layouts/set-account-config.js';
import { SetFeeTierLayout } from '../../engine/ring/layouts/set-fee-tier.js';
import { SetLeverageLayout } from '../../engine/ring/layouts/set-leverage.js';
import { SetMarginModeLayout } from '../../engine/ring/layouts/set-margin-mode.js';
import { TopUpInsuranceFundLayout } from '../../engine/ring/layouts/top-up-insurance-fund.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import { WithdrawLayout } from '../../engine/ring/layouts/withdraw.js';
import { BODY, HeaderFlag, MAX_TIME_US, RECORD_BYTES, RecordBuffer, TIME_US } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { DEFAULT_TIME_HORIZON_US } from '../../engine/shard/shard-clock.js';
import { rng } from '../support/seed.js';

export const T0 = 1_700_000_000_000_000;
const S = 1_000_000;
const HOUR = 3_600 * S;
const USDT = 1_000_000n;
const OPERATOR = HeaderFlag.OPERATOR;

/** BTC-PERP (1) and ETH-PERP (2) of DEFAULT_MARKETS: their marks at the start. */
const START_MARKS = new Map([
  [1, 600_000],
  [2, 300_000],
]);

const U53_WORDS: readonly (readonly [hi: number, lo: number])[] = [
  [0, 0],
  [0, 1],
  [0, 2 ** 31],
  [1, 0],
  [0x1f_ffff, 0xffff_ffff],
  [0x20_0000, 0],
  [0x8000_0000, 0],
  [0xffff_ffff, 0xffff_ffff],
];
const U8S = [0, 1, 2, 3, 4, 5, 6, 127, 255];
const U16S = [0, 1, 2, 255, 65_535];
const U32S = [0, 1, 2 ** 31, 2 ** 32 - 1];
const I64S = [0n, 1n, -1n, 2n ** 31n, 2n ** 53n, 2n ** 62n, 2n ** 63n - 1n, -(2n ** 63n)];
const UNKNOWN_TYPES = [0, 18, 77, 99, 150, 299, 65_535];
/**
 * Every record type but the surveillance worker's own input (SetBeneficialOwner, docs/SURVEILLANCE.md):
 * an exchange without surveillance has nowhere to send it, and its contract is that worker's.
 */
const EXCHANGE_LAYOUTS = LAYOUTS.filter((l) => l.type !== RecordType.SetBeneficialOwner);

export interface FuzzStream {
  records: RecordBuffer;
  /** Whether record i is hostile (the rest is valid flow, which may still be refused on its merits). */
  hostile: boolean[];
  length: number;
}

export function fuzzStream(seed: number, length: number, accounts: number): FuzzStream {
  const next = rng(seed);
  const pick = (n: number): number => next() % n;
  const one = <T>(xs: readonly T[]): T => xs[pick(xs.length)]!;
  const records = RecordBuffer.allocate(length);
  const hostile: boolean[] = [];
  const marks = new Map(START_MARKS);
  let now = T0;
  let orderId = 1;
  let request = 1;
  let n = 0;

  const put = (layout: Layout, header: RecordHeaderInput, body: Readonly<Record<string, number | bigint>>, isHostile = false): number => {
    const at = records.at(n);
    encodeRecord(records, at, layout, { timeUs: now, ...header }, body);
    hostile.push(isHostile);
    n++;
    return at;
  };
  const account = () => 1 + pick(accounts);
  const market = () => (pick(3) === 0 ? 2 : 1);
  const near = (m: number, bps: number) => Math.max(1, marks.get(m)! + Math.round((marks.get(m)! * (pick(2 * bps + 1) - bps)) / 10_000));
  const qty = (m: number) => 1 + pick(m === 1 ? 400 : 2_000);
  const anyOrderId = () => (orderId > 1 ? 1 + pick(orderId - 1) : 1);

  /** One valid command, stamped now. */
  const valid = (isHostile = false): number => {
    const r = pick(100);
    const a = account();
    const m = market();
    if (r < 28) {
      const tif = one([TimeInForce.GTC, TimeInForce.GTC, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.POST_ONLY, TimeInForce.FOK]);
      return put(PlaceOrderLayout, { accountId: a, marketId: m }, { orderId: orderId++, clientOrderId: pick(4) === 0 ? 1 + pick(50) : 0, priceTicks: near(m, 200), qtyLots: qty(m), side: pick(2), orderType: OrderType.LIMIT, timeInForce: tif, stpMode: pick(4), reduceOnly: pick(10) === 0 ? 1 : 0 }, isHostile);
    }
    if (r < 36) return put(PlaceOrderLayout, { accountId: a, marketId: m }, { orderId: orderId++, qtyLots: qty(m), side: pick(2), orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, reduceOnly: pick(6) === 0 ? 1 : 0 }, isHostile);
    if (r < 40) {
      const side = pick(2);
      const type = one([OrderType.STOP_MARKET, OrderType.STOP_LIMIT, OrderType.TAKE_PROFIT_MARKET, OrderType.TAKE_PROFIT_LIMIT]);
      const limited = type === OrderType.STOP_LIMIT || type === OrderType.TAKE_PROFIT_LIMIT;
      return put(PlaceOrderLayout, { accountId: a, marketId: m }, { orderId: orderId++, priceTicks: limited ? near(m, 300) : 0, triggerPriceTicks: near(m, 300), qtyLots: qty(m), side, orderType: type, timeInForce: limited ? TimeInForce.GTC : TimeInForce.IOC, triggerSource: pick(2) === 0 ? TriggerSource.MARK : TriggerSource.LAST }, isHostile);
    }
    if (r < 48) return put(CancelOrderLayout, { accountId: a, marketId: m }, pick(4) === 0 ? { orderId: 0, clientOrderId: 1 + pick(50) } : { orderId: anyOrderId() }, isHostile);
    if (r < 52) return put(AmendOrderLayout, { accountId: a, marketId: m }, { orderId: anyOrderId(), newPriceTicks: pick(3) === 0 ? 0 : near(m, 200), newQtyLots: pick(3) === 0 ? 0 : qty(m) }, isHostile);
    if (r < 55) {
      const admin = pick(5) === 0;
      return put(CancelAllOrdersLayout, { accountId: a, marketId: m, flags: admin ? OPERATOR : 0 }, { requestId: request++, reason: admin ? CancelReason.ADMIN : one([CancelReason.USER, CancelReason.CANCEL_ALL]) }, isHostile);
    }
    if (r < 57) return put(SetAccountConfigLayout, { accountId: a, marketId: m }, { requestId: request++, stpMode: 1 + pick(3) }, isHostile);
    if (r < 65) {
      // Index moves: small steps, sometimes a jump of up to 12% (liquidations), sometimes a stale index.
      const jump = pick(8) === 0;
      const price = near(m, jump ? 1_200 : 60);
      const stale = pick(25) === 0;
      if (!stale) marks.set(m, price);
      return put(UpdateIndexPriceLayout, { marketId: m }, { indexPriceTicks: stale ? 0 : price, sourcesUsed: stale ? 1 : 3, stale: stale ? 1 : 0 }, isHostile);
    }
    if (r < 70) {
      // Timer ticks: mostly seconds, sometimes past a funding time (8 hours).
      now += pick(10) === 0 ? 8 * HOUR + pick(HOUR) : 1 + pick(60 * S);
      return put(AdvanceTimeLayout, {}, {}, isHostile);
    }
    if (r < 73) return put(DepositLayout, { accountId: a, flags: OPERATOR }, { requestId: request++, amountAtoms: BigInt(1 + pick(a % 2 === 1 ? 500 : 50_000)) * USDT, assetId: 0 }, isHostile);
    if (r < 76) return put(WithdrawLayout, { accountId: a }, { requestId: request++, amountAtoms: BigInt(1 + pick(20_000)) * USDT, assetId: 0 }, isHostile);
    if (r < 79) return put(SetLeverageLayout, { accountId: a, marketId: m }, { requestId: request++, leverage: 1 + pick(55) }, isHostile);
    if (r < 81) return put(SetMarginModeLayout, { accountId: a, marketId: m }, { requestId: request++, marginMode: pick(2) }, isHostile);
    if (r < 84) return put(AdjustIsolatedMarginLayout, { accountId: a, marketId: m }, { requestId: request++, deltaAtoms: (BigInt(pick(4_000)) - 2_000n) * USDT }, isHostile);
    if (r < 86) return put(SetFeeTierLayout, { accountId: a, flags: OPERATOR }, { requestId: request++, feeTier: pick(4) }, isHostile);
    if (r < 88) return put(TopUpInsuranceFundLayout, { accountId: pick(2), flags: OPERATOR }, { requestId: request++, amountAtoms: BigInt(1 + pick(5_000)) * USDT }, isHostile);
    now += 1 + pick(S);
    return put(AdvanceTimeLayout, {}, {}, isHostile);
  };

  /** A time no shard may take: backwards past every clock, past the horizon, past what a record may carry. */
  const badTime = (at: number): void => {
    const w = (at + TIME_US) >> 2;
    const choice = pick(5);
    if (choice === 4) {
      records.u32[w] = 0;
      records.u32[w + 1] = one([0x20_0000, 0x8000_0000, 0xffff_ffff]);
      return;
    }
    records.setTimeUs(at, [0, now + DEFAULT_TIME_HORIZON_US + 1 + pick(HOUR), MAX_TIME_US + 1, 2 ** 53 - 1][choice]!);
  };

  /** Every field of a record of any type at a boundary value. */
  const wild = (): void => {
    const layout = pick(4) === 0 ? undefined : one(EXCHANGE_LAYOUTS);
    const at = records.at(n);
    records.clear(at);
    records.setType(at, layout?.type ?? one(UNKNOWN_TYPES));
    records.setTimeUs(at, now);
    if (pick(3) === 0) badTime(at);
    records.setAccountId(at, one([1, 2, 3, 0, 2 ** 31, 2 ** 32 - 1, account()]));
    records.setMarketId(at, one([1, 2, 0, 77, 65_535]));
    records.setFlags(at, one([0, 0, OPERATOR, OPERATOR | 2, 0xffff_ffff]));
    if (layout === undefined) for (let w = (at + BODY) >> 2; w < (at + RECORD_BYTES) >> 2; w++) records.u32[w] = one(U32S);
    else {
      for (const [name, kind] of layout.fields) {
        const off = at + (layout.offsets as Record<string, number>)[name]!;
        if (kind === 'u53') {
          const [hi, lo] = one(U53_WORDS);
          records.u32[off >> 2] = lo;
          records.u32[(off >> 2) + 1] = hi;
        } else if (kind === 'u8') records.u8[off] = one(U8S);
        else if (kind === 'u16') records.u16[off >> 1] = one(U16S);
        else if (kind === 'u32' || kind === 'i32') records.u32[off >> 2] = one(U32S);
        else records.i64[off >> 3] = one(I64S);
      }
    }
    hostile.push(true);
    n++;
  };

  /** A valid command with one field at a boundary value. */
  const corrupt = (): void => {
    const at = valid(true);
    const layout = EXCHANGE_LAYOUTS.find((l) => l.type === records.type(at));
    const fields = layout?.fields ?? [];
    const k = pick(fields.length + 5);
    if (k === fields.length) badTime(at);
    else if (k === fields.length + 1) records.setAccountId(at, one([0, 2 ** 31, 2 ** 32 - 1, 99]));
    else if (k === fields.length + 2) records.setMarketId(at, one([0, 3, 77, 65_535]));
    else if (k === fields.length + 3) records.setFlags(at, one([2, 0x8000_0000, OPERATOR | 4]));
    else if (k === fields.length + 4) records.setType(at, one([...UNKNOWN_TYPES, ...EXCHANGE_LAYOUTS.map((l) => l.type)]));
    else {
      const [name, kind] = fields[k]!;
      const off = at + (layout!.offsets as Record<string, number>)[name]!;
      if (kind === 'u53') {
        const [hi, lo] = one(U53_WORDS);
        records.u32[off >> 2] = lo;
        records.u32[(off >> 2) + 1] = hi;
      } else if (kind === 'u8') records.u8[off] = one(U8S);
      else if (kind === 'u16') records.u16[off >> 1] = one(U16S);
      else if (kind === 'u32' || kind === 'i32') records.u32[off >> 2] = one(U32S);
      else records.i64[off >> 3] = one(I64S);
    }
  };

  // Every account funded (odd ones thinly, so index jumps liquidate them), both markets priced, a fund on
  // each risk shard (accounts 0 and 1 route there).
  for (let a = 1; a <= accounts && n < length; a++) put(DepositLayout, { accountId: a, flags: OPERATOR }, { requestId: request++, amountAtoms: BigInt(a % 2 === 1 ? 200 + pick(1_500) : 5_000 + pick(100_000)) * USDT, assetId: 0 });
  for (const r of [0, 1]) if (n < length) put(TopUpInsuranceFundLayout, { accountId: r, flags: OPERATOR }, { requestId: request++, amountAtoms: 20_000n * USDT });
  for (const [m, price] of START_MARKS) if (n < length) put(UpdateIndexPriceLayout, { marketId: m }, { indexPriceTicks: price, sourcesUsed: 3, stale: 0 });
  while (n < length) {
    const r = pick(100);
    if (r < 8) wild();
    else if (r < 20) corrupt();
    else valid();
  }
  return { records, hostile, length };
}
