// A market listing: everything a market created at run time is made of (its book's spec, its mark and
// funding settings, its risk tiers), as one canonical byte string. The ListMarket command carries these
// bytes in parts (engine/ring/layouts/list-market.ts); the gateway encodes them, every risk shard and the
// owning market shard decode and check them, and the journal keeps them, so a replay lists the same
// market from the same bytes whatever the code's defaults have become since.
//
// The bytes are UTF-8 JSON with a fixed key order and bigints as decimal strings. decodeListing refuses
// anything encodeListing would not have written for the value it reads (it re-encodes and compares), so
// one listing has exactly one byte form: two copies are the same listing exactly when their bytes are
// equal, and a hash of the bytes is a hash of the listing. Every field is range-checked here, each failure
// naming the field; nothing here throws on any input.

import { buildTierTable, type TierRow, type TierTable } from '../../risk/tiers.js';
import { PremiumWeighting, type FundingRateParams } from '../../risk/funding.js';
import { RATE_ONE } from '../../risk/units.js';
import { MAX_INTERVAL_US } from '../ring/record.js';
import type { PricingConfig } from '../shard/market-pricing.js';
import { MarketSpec, type MarketConfig } from './spec.js';

/** The risk shards' part of a listing (risk/shard/config.ts RiskMarketConfig without the market). */
export interface ListingRisk {
  readonly tiers: readonly TierRow[];
  /** Leverage of an account that never chose one in this market: at most the first tier's. */
  readonly defaultLeverage: bigint;
  /** Liquidation orders and fills stay within this band around the mark (rate, 10^-8). */
  readonly liquidationBandRate: bigint;
}

export interface MarketListing {
  readonly market: MarketConfig;
  readonly pricing: PricingConfig;
  readonly risk: ListingRisk;
}

/** A listing decoded and checked, with what its checks built. */
export interface CheckedListing {
  readonly ok: true;
  readonly listing: MarketListing;
  readonly spec: MarketSpec;
  readonly tiers: TierTable;
}

/** Why a listing was refused: the field (a path such as `risk.tiers[2].mmrRate`) and what is wrong with it. */
export interface ListingFault {
  readonly ok: false;
  readonly field: string;
  readonly message: string;
}

/**
 * Most markets the exchange holds, configured and listed together: every shard keeps per-market state
 * and iterates it on timer ticks, so the count is bounded (docs/OPERATOR.md, "Creating a market").
 */
export const MAX_MARKETS = 256;
/** Most bytes a listing may take: MAX_LISTING_PARTS records' worth (list-market.ts). */
export const MAX_LISTING_BYTES = 5_120;
/** Most tiers a listed market may have. */
const MAX_LISTING_TIERS = 32;
/** Base and quote asset names: upper-case letters and digits. */
const ASSET = /^[A-Z0-9]{1,12}$/;
/** MarketSpec's own rule for symbols. */
const SYMBOL = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;
const DECIMAL_TEXT = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$/;
const BIGINT_TEXT = /^-?(0|[1-9][0-9]{0,37})$/;
/** Balances and notionals stay within half the i64 range (risk/shard/config.ts MAX_BALANCE_BOUND_ATOMS). */
const MAX_ATOMS = 1n << 62n;
const MAX_IMPACT_DEPTH_LEVELS = 100_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The canonical bytes of a listing (fixed key order, bigints as decimal strings). */
export function encodeListing(l: MarketListing): Uint8Array {
  return encoder.encode(JSON.stringify(canonical(l)));
}

function canonical(l: MarketListing): unknown {
  const m = l.market;
  const p = l.pricing;
  const big = (v: bigint): string => v.toString();
  return {
    market: {
      marketId: m.marketId,
      symbol: m.symbol,
      baseAsset: m.baseAsset,
      quoteAsset: m.quoteAsset,
      tickSize: m.tickSize,
      lotSize: m.lotSize,
      minQtyLots: m.minQtyLots,
      maxQtyLots: m.maxQtyLots,
      maxPriceTicks: m.maxPriceTicks,
      priceBandBps: m.priceBandBps,
      marketSlippageBps: m.marketSlippageBps,
      maxOpenOrdersPerAccount: m.maxOpenOrdersPerAccount,
      maxOrders: m.maxOrders,
      collateralDecimals: m.collateralDecimals,
    },
    pricing: {
      markBandRate: big(p.markBandRate),
      fundingIntervalUs: p.fundingIntervalUs,
      sampleIntervalUs: p.sampleIntervalUs,
      basisWindowUs: p.basisWindowUs,
      weighting: p.weighting,
      funding: {
        interestRate: big(p.funding.interestRate),
        premiumClampRate: big(p.funding.premiumClampRate),
        capRate: big(p.funding.capRate),
        hardCapRate: big(p.funding.hardCapRate),
      },
      impactNotionalAtoms: big(p.impactNotionalAtoms),
      impactDepthLevels: p.impactDepthLevels,
      indexMaxAgeUs: p.indexMaxAgeUs ?? null,
    },
    risk: {
      tiers: l.risk.tiers.map((t) => ({ hiNotionalAtoms: big(t.hiNotionalAtoms), maxLeverage: big(t.maxLeverage), imrRate: big(t.imrRate), mmrRate: big(t.mmrRate) })),
      defaultLeverage: big(l.risk.defaultLeverage),
      liquidationBandRate: big(l.risk.liquidationBandRate),
    },
  };
}

/** Thrown inside the reader only, caught by checkListing: a field and what is wrong with it. */
class Fault {
  constructor(
    readonly field: string,
    readonly message: string,
  ) {}
}

/** Reads the fields of one JSON object, each by path; a missing, extra or ill-typed field is a Fault. */
class Fields {
  private readonly seen = new Set<string>();
  private readonly o: Record<string, unknown>;

  constructor(
    v: unknown,
    private readonly path: string,
  ) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Fault(path || 'listing', 'must be an object');
    this.o = v as Record<string, unknown>;
  }

  private name(k: string): string {
    return this.path === '' ? k : `${this.path}.${k}`;
  }

  private get(k: string): unknown {
    this.seen.add(k);
    if (!Object.prototype.hasOwnProperty.call(this.o, k)) throw new Fault(this.name(k), 'is missing');
    return this.o[k];
  }

  int(k: string, lo: number, hi: number): number {
    const v = this.get(k);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < lo || v > hi) throw new Fault(this.name(k), `must be an integer in [${lo}, ${hi}]`);
    return v;
  }

  big(k: string, lo: bigint, hi: bigint): bigint {
    const v = this.get(k);
    if (typeof v !== 'string' || !BIGINT_TEXT.test(v)) throw new Fault(this.name(k), 'must be an integer as a decimal string');
    const b = BigInt(v);
    if (b < lo || b > hi) throw new Fault(this.name(k), `must be in [${lo}, ${hi}]`);
    return b;
  }

  text(k: string, pattern: RegExp, rule: string): string {
    const v = this.get(k);
    if (typeof v !== 'string' || !pattern.test(v)) throw new Fault(this.name(k), `must be ${rule}`);
    return v;
  }

  optionalInt(k: string, lo: number, hi: number): number | undefined {
    if (this.o[k] === null) {
      this.seen.add(k);
      return undefined;
    }
    return this.int(k, lo, hi);
  }

  object(k: string): Fields {
    return new Fields(this.get(k), this.name(k));
  }

  array(k: string, max: number): unknown[] {
    const v = this.get(k);
    if (!Array.isArray(v) || v.length === 0 || v.length > max) throw new Fault(this.name(k), `must be a list of 1 to ${max} entries`);
    return v;
  }

  /** No field beyond those read. */
  done(): void {
    for (const k of Object.keys(this.o)) if (!this.seen.has(k)) throw new Fault(this.name(k), 'is not a listing field');
  }
}

function readMarket(f: Fields): MarketConfig {
  const m: MarketConfig = {
    marketId: f.int('marketId', 1, 0xffff),
    symbol: f.text('symbol', SYMBOL, 'upper-case letters, digits and . _ - (at most 32, starting with a letter or digit)'),
    baseAsset: f.text('baseAsset', ASSET, '1 to 12 upper-case letters or digits'),
    quoteAsset: f.text('quoteAsset', ASSET, '1 to 12 upper-case letters or digits'),
    tickSize: f.text('tickSize', DECIMAL_TEXT, 'a positive decimal such as "0.1"'),
    lotSize: f.text('lotSize', DECIMAL_TEXT, 'a positive decimal such as "0.001"'),
    minQtyLots: f.int('minQtyLots', 1, Number.MAX_SAFE_INTEGER),
    maxQtyLots: f.int('maxQtyLots', 1, Number.MAX_SAFE_INTEGER),
    maxPriceTicks: f.int('maxPriceTicks', 1, Number.MAX_SAFE_INTEGER),
    priceBandBps: f.int('priceBandBps', 0, 10_000),
    marketSlippageBps: f.int('marketSlippageBps', 1, 10_000),
    maxOpenOrdersPerAccount: f.int('maxOpenOrdersPerAccount', 1, 1_000_000),
    maxOrders: f.int('maxOrders', 1, 1 << 26),
    collateralDecimals: f.int('collateralDecimals', 0, 18),
  };
  f.done();
  if (m.minQtyLots > m.maxQtyLots) throw new Fault('market.minQtyLots', 'must be at most maxQtyLots');
  return m;
}

function readPricing(f: Fields): PricingConfig {
  const interval = (k: string): number => f.int(k, 1, MAX_INTERVAL_US);
  const markBandRate = f.big('markBandRate', 1n, RATE_ONE);
  const fundingIntervalUs = interval('fundingIntervalUs');
  const sampleIntervalUs = interval('sampleIntervalUs');
  const basisWindowUs = interval('basisWindowUs');
  const weighting = f.int('weighting', PremiumWeighting.LINEAR, PremiumWeighting.EQUAL) as PremiumWeighting;
  const ff = f.object('funding');
  const funding: FundingRateParams = {
    interestRate: ff.big('interestRate', -RATE_ONE, RATE_ONE),
    premiumClampRate: ff.big('premiumClampRate', 0n, RATE_ONE),
    capRate: ff.big('capRate', 0n, RATE_ONE),
    hardCapRate: ff.big('hardCapRate', 0n, RATE_ONE),
  };
  ff.done();
  const impactNotionalAtoms = f.big('impactNotionalAtoms', 1n, MAX_ATOMS);
  const impactDepthLevels = f.int('impactDepthLevels', 1, MAX_IMPACT_DEPTH_LEVELS);
  const indexMaxAgeUs = f.optionalInt('indexMaxAgeUs', 1, MAX_INTERVAL_US);
  f.done();
  if (sampleIntervalUs > fundingIntervalUs) throw new Fault('pricing.sampleIntervalUs', 'must be at most fundingIntervalUs');
  const p: PricingConfig = { markBandRate, fundingIntervalUs, sampleIntervalUs, basisWindowUs, weighting, funding, impactNotionalAtoms, impactDepthLevels };
  return indexMaxAgeUs === undefined ? p : { ...p, indexMaxAgeUs };
}

function readRisk(f: Fields): ListingRisk {
  const rows = f.array('tiers', MAX_LISTING_TIERS).map((v, i): TierRow => {
    const t = new Fields(v, `risk.tiers[${i}]`);
    const row = {
      hiNotionalAtoms: t.big('hiNotionalAtoms', 1n, MAX_ATOMS),
      maxLeverage: t.big('maxLeverage', 1n, 1_000n),
      imrRate: t.big('imrRate', 1n, RATE_ONE),
      mmrRate: t.big('mmrRate', 1n, RATE_ONE),
    };
    t.done();
    return row;
  });
  const risk = { tiers: rows, defaultLeverage: f.big('defaultLeverage', 1n, 1_000n), liquidationBandRate: f.big('liquidationBandRate', 1n, RATE_ONE) };
  f.done();
  return risk;
}

/**
 * Checks a listing's values as a whole (the spec's own rules, the tiers', the default leverage against
 * the first tier): what decodeListing and the gateway both apply. Never throws.
 */
export function checkListing(l: MarketListing): CheckedListing | ListingFault {
  try {
    return checked(l);
  } catch (e) {
    if (e instanceof Fault) return { ok: false, field: e.field, message: e.message };
    return { ok: false, field: 'listing', message: e instanceof Error ? e.message : String(e) };
  }
}

function checked(l: MarketListing): CheckedListing {
  // Re-reading the canonical form applies every field's range (the gateway's listing never went through
  // the byte form; a decoded one did, and reading it again is cheap: listings are rare).
  const json: unknown = JSON.parse(JSON.stringify(canonical(l)));
  const root = new Fields(json, '');
  const market = readMarket(root.object('market'));
  const pricing = readPricing(root.object('pricing'));
  const risk = readRisk(root.object('risk'));
  root.done();
  let spec: MarketSpec;
  try {
    spec = new MarketSpec(market);
  } catch (e) {
    throw new Fault('market', (e as Error).message);
  }
  const built = buildTierTable(risk.tiers);
  if (!('tiers' in built)) throw new Fault('risk.tiers', 'must have rising notional bounds, leverage not rising, 0 < MMR < IMR ≤ 1/leverage, rates not falling');
  if (risk.defaultLeverage > built.tiers[0]!.maxLeverage) throw new Fault('risk.defaultLeverage', `must be at most the first tier's maxLeverage (${built.tiers[0]!.maxLeverage})`);
  return { ok: true, listing: { market, pricing, risk }, spec, tiers: built.tiers };
}

/** Decodes and checks a listing's bytes; refuses any byte form but the canonical one. Never throws. */
export function decodeListing(bytes: Uint8Array): CheckedListing | ListingFault {
  if (bytes.length === 0 || bytes.length > MAX_LISTING_BYTES) return { ok: false, field: 'listing', message: `must be 1 to ${MAX_LISTING_BYTES} bytes, got ${bytes.length}` };
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch {
    return { ok: false, field: 'listing', message: 'is not UTF-8 JSON' };
  }
  let listing: MarketListing;
  try {
    const root = new Fields(json, '');
    listing = { market: readMarket(root.object('market')), pricing: readPricing(root.object('pricing')), risk: readRisk(root.object('risk')) };
    root.done();
  } catch (e) {
    if (e instanceof Fault) return { ok: false, field: e.field, message: e.message };
    return { ok: false, field: 'listing', message: String(e) };
  }
  if (!sameBytes(encodeListing(listing), bytes)) return { ok: false, field: 'listing', message: 'is not in canonical form' };
  return checkListing(listing);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
