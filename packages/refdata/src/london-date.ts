import type { LondonDate } from './types.js';

const HOUR_MS = 3_600_000;
/** Cached hours before the cache is cleared; bounded so odd timestamps cannot grow it. */
const MAX_CACHED_HOURS = 10_000;

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

// London's offset from UTC is a whole number of hours and changes on a UTC hour boundary, so
// every instant in one UTC hour has the same London date: cache by UTC hour.
const byHour = new Map<number, LondonDate>();
let lastHour = Number.NaN;
let lastDate = '';

function format(epochMs: number): LondonDate {
  let year = '';
  let month = '';
  let day = '';
  for (const part of formatter.formatToParts(epochMs)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}

/** The Europe/London calendar date ('YYYY-MM-DD') of an instant, right on 23- and 25-hour days. */
export function londonDateOf(epochMs: number): LondonDate {
  if (!Number.isFinite(epochMs))
    throw new RangeError(`londonDateOf: not a finite instant: ${epochMs}`);
  const hour = Math.floor(epochMs / HOUR_MS);
  if (hour === lastHour) return lastDate;
  let date = byHour.get(hour);
  if (date === undefined) {
    date = format(hour * HOUR_MS);
    if (byHour.size >= MAX_CACHED_HOURS) byHour.clear();
    byHour.set(hour, date);
  }
  lastHour = hour;
  lastDate = date;
  return date;
}
