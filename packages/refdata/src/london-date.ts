// The Europe/London calendar and wall clock: the date of an instant, the instants a date starts
// and ends (right on the 23- and 25-hour days), the local hour and weekday. The one
// implementation in the repository (@pulse/kpi's day buckets and the simulator's daily rhythm
// use it). London's offset from UTC is a whole number of hours and changes only on a
// UTC hour (01:00 UTC on the last Sundays of March and October), so the time-zone database
// (Intl) is asked once per UTC hour ever seen.
import { DAY_MS, HOUR_MS } from './time.js';
import type { LondonDate } from './types.js';

/** Cached hours before the cache is cleared; bounded so odd timestamps cannot grow it. */
const MAX_CACHED_HOURS = 20_000;

const LONDON_WALL_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

const offsetByHour = new Map<number, number>();

/** London's offset from UTC (ms) at an instant (0 in winter, an hour in summer), once per UTC hour. */
export function londonOffsetMs(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  const cached = offsetByHour.get(hour);
  if (cached !== undefined) return cached;
  const at = hour * HOUR_MS;
  const p: Record<string, number> = {};
  for (const part of LONDON_WALL_CLOCK.formatToParts(at)) p[part.type] = Number(part.value);
  const offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
  if (offsetByHour.size >= MAX_CACHED_HOURS) offsetByHour.clear();
  offsetByHour.set(hour, offset);
  return offset;
}

/** The instant London's wall clock reads 00:00 on the UTC-epoch day number `day`. */
function londonMidnight(day: number): number {
  const wallMidnight = day * DAY_MS;
  // Midnight is never within an hour of a change, so the offset just after it is the right one.
  return wallMidnight - londonOffsetMs(wallMidnight - londonOffsetMs(wallMidnight));
}

let lastHour = Number.NaN;
let lastDate = '';

/** The Europe/London calendar date ('YYYY-MM-DD') of an instant, right on 23- and 25-hour days. */
export function londonDateOf(epochMs: number): LondonDate {
  if (!Number.isFinite(epochMs))
    throw new RangeError(`londonDateOf: not a finite instant: ${epochMs}`);
  // Every instant of one UTC hour has the same London date.
  const hour = Math.floor(epochMs / HOUR_MS);
  if (hour !== lastHour) {
    const day = Math.floor((epochMs + londonOffsetMs(epochMs)) / DAY_MS);
    lastDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
    lastHour = hour;
  }
  return lastDate;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The instants a London date starts (London midnight) and ends (the next London midnight): 23,
 * 24 or 25 hours apart. Throws a RangeError for anything but a real 'YYYY-MM-DD' date.
 */
export function londonDaySpan(date: LondonDate): { start: number; end: number } {
  const m = ISO_DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  const day = ms / DAY_MS;
  if (!Number.isInteger(day) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date 'YYYY-MM-DD': ${date}`);
  }
  return { start: londonMidnight(day), end: londonMidnight(day + 1) };
}

/** The London calendar day an instant falls in, as the instant of its London midnight. */
export function londonDayStartOf(epochMs: number): number {
  return londonDaySpan(londonDateOf(epochMs)).start;
}

/** London wall-clock time of day in fractional hours, 0 to 24. */
export function londonHourOf(epochMs: number): number {
  const local = epochMs + londonOffsetMs(epochMs);
  return (((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
}

/** London day of the week, 0 = Monday to 6 = Sunday. */
export function londonWeekdayOf(epochMs: number): number {
  const localDays = Math.floor((epochMs + londonOffsetMs(epochMs)) / DAY_MS);
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return (((localDays + 3) % 7) + 7) % 7;
}
