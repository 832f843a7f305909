// The primary rules of NHS Digital's disclosure control for HES and ECDS statistics (applied from
// September 2018), as docs/disclosure.md cites them: national counts are published as they are;
// below national level a count of 1 to 7 is suppressed and every other count is rounded to the
// nearest 5. A zero is outside the suppressed range and rounds to itself, so it is published as 0.
import { DisclosureError } from './errors.js';

/** The smallest count suppressed below national level. */
export const SMALL_MIN = 1;
/** The largest count suppressed below national level. */
export const SMALL_MAX = 7;
/** Counts below national level that are published are rounded to a multiple of this. */
export const ROUNDING_BASE = 5;
/** The smallest count published below national level (SMALL_MAX + 1). */
export const SMALLEST_PUBLISHED = SMALL_MAX + 1;
/** How far a rounded count can be from the true one (integers: ties at .5 cannot occur). */
export const ROUNDING_SLACK = Math.floor(ROUNDING_BASE / 2);

/** Whether a sub-national count is suppressed by the primary rule (1 to 7). */
export function isSmall(count: number): boolean {
  return count >= SMALL_MIN && count <= SMALL_MAX;
}

/**
 * The nearest multiple of 5. Counts are integers, so a count is never exactly halfway (n mod 5 is
 * 0 to 4: 1 and 2 round down, 3 and 4 up); a non-integer halfway value rounds up.
 */
export function roundToBase(value: number): number {
  return Math.floor(value / ROUNDING_BASE + 0.5) * ROUNDING_BASE;
}

/** Refuses what cannot be a count: null, a negative, fractional or non-finite number. */
export function checkCount(value: number | null, path: string): number {
  if (value === null || !Number.isSafeInteger(value) || value < 0) {
    throw new DisclosureError('NOT_A_COUNT', `${path} is ${value}, not a count (an integer >= 0).`);
  }
  return value;
}

/** Refuses a duration that is null, negative or not finite. */
export function checkDuration(value: number | null, path: string): number {
  if (value === null || !Number.isFinite(value) || value < 0) {
    throw new DisclosureError('NOT_A_COUNT', `${path} is ${value}, not a duration (>= 0).`);
  }
  return value;
}

/**
 * What the public sees of one sub-national count on its own: null (suppressed, 1 to 7) or the
 * count rounded to the nearest 5 (0 stays 0). Secondary suppression is decided over whole
 * bodies (controlSnapshot, controlSeries), never here.
 */
export function controlCount(count: number): number | null {
  checkCount(count, 'count');
  return isSmall(count) ? null : roundToBase(count);
}
