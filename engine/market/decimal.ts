// Decimal strings ↔ integer units. The only place perpx turns text into money or quantities: the gateway
// and configuration call it once at the edge, everything inside works on integers.
//
// A decimal is [-]digits[.digits]: no exponent, no '+', no spaces, no leading '.', at most
// MAX_DECIMAL_CHARS characters. Conversion to a unit (a tick size, a lot size, an atom) is exact with
// bigint arithmetic; a value that is not a whole number of units is rejected under EXACT or rounded in
// the stated direction under FLOOR (toward −∞) and CEIL (toward +∞). Callers choose the direction that
// favours solvency (ARCHITECTURE.md, "Money and numbers"). HALF_EVEN (to the nearest unit, a tie to the
// even one) is for measurements that favour no side, such as a venue's price feeding the index.

import { Code } from '../codes.js';

export const Rounding = { EXACT: 0, FLOOR: 1, CEIL: 2, HALF_EVEN: 3 } as const;
export type Rounding = (typeof Rounding)[keyof typeof Rounding];

const MAX_DECIMAL_CHARS = 40;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal as mantissa · 10^−scale. */
export interface Decimal {
  readonly mantissa: bigint;
  readonly scale: number;
}

export type Converted = { readonly ok: true; readonly units: bigint } | { readonly ok: false; readonly code: number };

export function parseDecimal(text: string): Decimal | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_DECIMAL_CHARS) return undefined;
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const mantissa = BigInt(m[2]! + frac);
  return { mantissa: m[1] === '-' ? -mantissa : mantissa, scale: frac.length };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Floor division for bigint (bigint `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

export function ceilDiv(a: bigint, b: bigint): bigint {
  return -floorDiv(-a, b);
}

/** a / b (b > 0) to the nearest integer, a tie to the even one. */
export function halfEvenDiv(a: bigint, b: bigint): bigint {
  const q = floorDiv(a, b);
  const twice = 2n * (a - q * b);
  if (twice < b) return q;
  if (twice > b) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}

/** a / b (b > 0) as a whole number in the stated direction; undefined under EXACT when b does not divide a. */
function divideRounded(a: bigint, b: bigint, rounding: Rounding): bigint | undefined {
  switch (rounding) {
    case Rounding.EXACT:
      return a % b === 0n ? a / b : undefined;
    case Rounding.FLOOR:
      return floorDiv(a, b);
    case Rounding.CEIL:
      return ceilDiv(a, b);
    case Rounding.HALF_EVEN:
      return halfEvenDiv(a, b);
  }
}

/**
 * value / unit as a whole number of units. `unit` must be a positive decimal (a tick size, a lot size).
 * offGridCode is the code returned under EXACT when the value is not on the grid.
 */
export function decimalToUnits(value: string, unit: Decimal, rounding: Rounding, offGridCode: number): Converted {
  const v = parseDecimal(value);
  if (!v) return { ok: false, code: Code.INVALID_NUMBER };
  // value/unit = (vm·10^-vs) / (um·10^-us) = vm·10^us / (um·10^vs)
  const num = v.mantissa * pow10(unit.scale);
  const den = unit.mantissa * pow10(v.scale);
  const units = divideRounded(num, den, rounding);
  return units === undefined ? { ok: false, code: offGridCode } : { ok: true, units };
}

/**
 * The midpoint of two decimals (a best bid and a best ask) in whole units, exact until the one rounding:
 * (a + b) / 2 / unit. INVALID_NUMBER when either is not a decimal.
 */
export function midpointToUnits(a: string, b: string, unit: Decimal, rounding: Rounding, offGridCode: number): Converted {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return { ok: false, code: Code.INVALID_NUMBER };
  const scale = Math.max(x.scale, y.scale);
  const sum = x.mantissa * pow10(scale - x.scale) + y.mantissa * pow10(scale - y.scale);
  const units = divideRounded(sum * pow10(unit.scale), 2n * unit.mantissa * pow10(scale), rounding);
  return units === undefined ? { ok: false, code: offGridCode } : { ok: true, units };
}

/** units · unit as a canonical decimal string (no trailing zeros beyond the unit's scale). */
export function unitsToDecimal(units: bigint | number, unit: Decimal): string {
  const raw = BigInt(units) * unit.mantissa;
  const neg = raw < 0n;
  const digits = (neg ? -raw : raw).toString().padStart(unit.scale + 1, '0');
  const whole = digits.slice(0, digits.length - unit.scale);
  const frac = unit.scale > 0 ? '.' + digits.slice(digits.length - unit.scale) : '';
  return (neg ? '-' : '') + whole + frac;
}

/** Parses a configuration constant (a tick size, a lot size) that must be a positive decimal. */
export function positiveDecimal(text: string, what: string): Decimal {
  const d = parseDecimal(text);
  if (!d || d.mantissa <= 0n) throw new RangeError(`${what} must be a positive decimal, got ${JSON.stringify(text)}`);
  return d;
}
