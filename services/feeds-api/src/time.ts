// Parsing the API's time parameters. A date alone means London midnight starting that date; an
// instant must carry its offset, so no parameter depends on the server's time zone.
import { londonDateOf, londonDayBounds } from '@pulse/kpi';
import { invalidParameter } from './errors.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** No figure can be older than this; earlier dates are refused rather than answered. */
export const EARLIEST_DATE = '1900-01-01';
const EARLIEST_MS = Date.UTC(1900, 0, 1);
/** How far ahead of this server's clock an `asOf` may be (clock skew between client and server). */
export const ASOF_SKEW_MS = 5 * 60_000;

function beforeEarliest(name: string, value: string) {
  return invalidParameter('query', name, `is before ${EARLIEST_DATE}: ${value}`);
}

/** Whether 'YYYY-MM-DD' names a real calendar date (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!DATE_ONLY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** A `date` query parameter (already shape-checked by schema), or today in London. */
export function londonDateParam(value: string | undefined, now: number, name = 'date'): string {
  if (value === undefined) return londonDateOf(now);
  if (!isCalendarDate(value))
    throw invalidParameter('query', name, `is not a calendar date: ${value}`);
  if (value < EARLIEST_DATE) throw beforeEarliest(name, value);
  return value;
}

/** An instant or date query parameter as epoch ms; a date is London midnight at its start. */
export function instantParam(value: string, name: string): number {
  if (DATE_ONLY.test(value)) {
    if (!isCalendarDate(value))
      throw invalidParameter('query', name, `is not a calendar date: ${value}`);
    if (value < EARLIEST_DATE) throw beforeEarliest(name, value);
    return londonDayBounds(value).start;
  }
  const ms = Date.parse(value);
  const datePart = value.slice(0, 10);
  if (!Number.isFinite(ms) || !isCalendarDate(datePart)) {
    throw invalidParameter('query', name, `is not a valid instant: ${value}`);
  }
  if (ms < EARLIEST_MS) throw beforeEarliest(name, value);
  return ms;
}

/** The `asOf` query parameter, or now: refused when later than now plus the clock skew. */
export function asOfParam(value: string | undefined, now: number): number {
  if (value === undefined) return now;
  const asOf = instantParam(value, 'asOf');
  if (asOf > now + ASOF_SKEW_MS) {
    throw invalidParameter(
      'query',
      'asOf',
      `is in the future (${value}; now is ${iso(now)}): nothing has been counted for it yet`,
    );
  }
  return asOf;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
