// Decimal strings ↔ integer units. The only place perpx turns text into money or quantities: the gateway
// and configuration call it once at the edge, everything inside works on integers.
//
// A decimal is [-]digits[.digits]: no exponent, no '+', no spaces, no leading '.', at most
// MAX_DECIMAL_CHARS characters. Conversion to a unit (a tick size, a lot size, an atom) is exact with
// bigint arithmetic; a value that is not a whole number of units is rejected under EXACT or rounded in
// the stated direction under FLOOR (toward −∞) and CEIL (toward +∞). Callers choose the direction that
// favours solvency (ARCHITECTURE.md, "Money and numbers").

import { Code } from '../codes.js';

export const Rounding = { EXACT: 0, FLOOR: 1, CEIL: 2 } as const;
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
  if (rounding === Rounding.EXACT) {
    if (num % den !== 0n) return { ok: false, code: offGridCode };
    return { ok: true, units: num / den };
  }
  return { ok: true, units: rounding === Rounding.FLOOR ? floorDiv(num, den) : ceilDiv(num, den) };
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
