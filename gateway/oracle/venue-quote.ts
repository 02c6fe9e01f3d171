// What a venue adapter reads out of one response body: decimal text exactly as the venue sent it, and the
// venue's own time of the quote when its format carries one. Text stays text until quote-ticks.ts turns it
// into ticks, once, with a stated rounding: no float ever holds a price.

export interface VenueQuote {
  readonly bid?: string;
  readonly ask?: string;
  readonly last?: string;
  /** The venue's timestamp of this quote, µs since the epoch (absent when the format has none). */
  readonly venueTimeUs?: number;
}

/** A body that is not the venue's format, or an answer the venue marks as an error. */
export class BadBodyError extends Error {
  readonly code = 'ORACLE_BAD_BODY';
  constructor(
    venue: string,
    why: string,
    /** The HTTP status the body came with, when known. */
    readonly statusCode?: number,
  ) {
    super(`${venue}: ${why}`);
    this.name = 'BadBodyError';
  }
}

export interface VenueAdapter {
  /** The venue's name in the config file. */
  readonly name: string;
  /** engine/enums.ts IndexVenue. */
  readonly venueId: number;
  /** Where production requests go unless the config says otherwise. */
  readonly defaultBaseUrl: string;
  /** Path and query of the request for one symbol (the venue's own spelling of it). */
  path(symbol: string): string;
  /** The quote for `symbol` in a parsed JSON body; throws BadBodyError when there is none. */
  parse(body: unknown, symbol: string): VenueQuote;
}

/** Small readers that keep adapters free of `any`. */
export function obj(v: unknown, venue: string, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadBodyError(venue, `${what} is not an object`);
  return v as Record<string, unknown>;
}

export function arr(v: unknown, venue: string, what: string): unknown[] {
  if (!Array.isArray(v)) throw new BadBodyError(venue, `${what} is not an array`);
  return v;
}

export function text(v: unknown, venue: string, what: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new BadBodyError(venue, `${what} is not a decimal string`);
  return v;
}

/** Milliseconds since the epoch (a JSON integer or an integer string) to µs. */
export function msToUs(v: unknown, venue: string, what: string): number {
  const ms = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms <= 0) throw new BadBodyError(venue, `${what} is not a millisecond timestamp`);
  return ms * 1000;
}
