// Local (Europe/London) wall-clock facts of an instant: activity follows local hours (the 4am
// trough is 4am in London, GMT or BST). London's offset is whole hours and changes on a UTC hour
// boundary, so the offset is cached per UTC hour.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  hourCycle: 'h23',
});

const offsetByHour = new Map<number, number>();

/** London's offset from UTC in ms at an instant (0 in winter, one hour in summer). */
export function londonOffsetMs(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const localHour = Number(formatter.format(hour * HOUR_MS));
    const utcHour = ((hour % 24) + 24) % 24;
    offset = (((localHour - utcHour + 36) % 24) - 12) * HOUR_MS;
    if (offsetByHour.size > 50_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** Local time of day in fractional hours, 0 to 24. */
export function londonHourOf(epochMs: number): number {
  const local = epochMs + londonOffsetMs(epochMs);
  return ((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS) as number;
}

/** Local day of week, 0 = Monday to 6 = Sunday. */
export function londonWeekdayOf(epochMs: number): number {
  const localDays = Math.floor((epochMs + londonOffsetMs(epochMs)) / DAY_MS);
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return (((localDays + 3) % 7) + 7) % 7;
}

/** The instant of the local midnight starting the London day of epochMs (approximate on change days). */
export function londonMidnightOf(epochMs: number): number {
  return epochMs - londonHourOf(epochMs) * HOUR_MS;
}

/**
 * The instant of the London midnight starting the London day of epochMs, exact on the days the
 * clocks change (they change at 01:00 UTC, never at local midnight, so that midnight is in GMT
 * or in BST, whichever offset it has).
 */
export function londonDayStartOf(epochMs: number): number {
  const local = epochMs + londonOffsetMs(epochMs);
  const localMidnight = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  const inBst = localMidnight - HOUR_MS;
  return londonOffsetMs(inBst) === HOUR_MS ? inBst : localMidnight;
}
