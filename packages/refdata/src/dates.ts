import { RefDataError } from './errors.js';
import { DAY_MS } from './time.js';
import type { LondonDate } from './types.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Throws REFDATA_BAD_DATE unless the value is a 'YYYY-MM-DD' date. */
export function assertIsoDate(value: string, what: string): LondonDate {
  if (!ISO_DATE.test(value))
    throw new RefDataError('REFDATA_BAD_DATE', `${what}: expected YYYY-MM-DD, got '${value}'`);
  return value;
}

/** ODS 'YYYYMMDD' to 'YYYY-MM-DD'; '' to null. */
export function fromOdsDate(value: string, what: string): LondonDate | null {
  if (value === '') return null;
  if (!/^\d{8}$/.test(value))
    throw new RefDataError('REFDATA_INVALID', `${what}: expected YYYYMMDD, got '${value}'`);
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/** The calendar date n days after (or before) an ISO date. */
export function addDays(date: LondonDate, n: number): LondonDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether date lies in [from, to], a null `to` meaning open-ended. */
export function inWindow(date: LondonDate, from: LondonDate, to: LondonDate | null): boolean {
  return date >= from && (to === null || date <= to);
}
