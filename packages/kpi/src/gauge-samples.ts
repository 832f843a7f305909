// Gauge history: when a trust's gauges are sampled, and which series buckets a sample fills.
// Pure. The definition (docs/aggregation.md, "Gauge history"): a trust's sample at a 15-minute
// end T is its gauges as of T from its state just before the first of its applied events (send
// order; duplicates and rejections do not count) whose occurredAt is after T. So a trust is
// sampled at T once its own event clock passes T, from its own events alone; a late event never
// revises a sample already taken.
import { DAY_MS, HOUR_MS, QUARTER_MS, londonDateOf, londonDayBounds } from './buckets.js';
import type { BucketSize } from './types.js';

/** Samples are taken at every 15-minute end (UTC). */
export const SAMPLE_STEP_MS = QUARTER_MS;

/**
 * A trust silent a long time is sampled at the ends of this last stretch before its next event
 * only (96 ends): the ends before are left unsampled (the points' coverage says so).
 */
export const SAMPLE_LOOKBACK_MS = DAY_MS;

/** The sitrep reads G&A beds at 08:00 London: the daily beds figures' reference time. */
export const BEDS_DAILY_REFERENCE = '08:00 Europe/London';

/**
 * 08:00 London on a London date. Clocks change at 01:00 UTC, before 08:00 local, so 08:00 is
 * always 16 hours before the next midnight (days of 23 and 25 hours included).
 */
export function bedsReferenceOf(londonDate: string): number {
  return londonDayBounds(londonDate).end - 16 * HOUR_MS;
}

/** The last 15-minute end strictly before an instant. */
export function lastEndBefore(at: number): number {
  return Math.floor((at - 1) / SAMPLE_STEP_MS) * SAMPLE_STEP_MS;
}

/** The first 15-minute end at or after an instant. */
function firstEndFrom(at: number): number {
  return Math.ceil(at / SAMPLE_STEP_MS) * SAMPLE_STEP_MS;
}

export interface SampleCrossing {
  /** The ends to sample now, ascending, before the event is applied. */
  ends: number[];
  /** The trust's new "sampled until": the last end before the newest event applied. */
  until: number;
}

/**
 * The ends one applied event of a trust crosses. `sampledUntil`: the trust's last end already
 * sampled (undefined before its first applied event: then nothing is sampled, the trust starts
 * at its first event). Ends sampled: after sampledUntil and before occurredAt, within
 * SAMPLE_LOOKBACK_MS of occurredAt, and not earlier than the record's time minus the grace
 * period (state older than that may be trimmed: docs/aggregation.md, "Gauge history").
 */
export function sampleCrossing(
  sampledUntil: number | undefined,
  occurredAt: number,
  recordTime: number | undefined,
  graceMs: number,
): SampleCrossing {
  const last = lastEndBefore(occurredAt);
  if (sampledUntil === undefined) return { ends: [], until: last };
  if (last <= sampledUntil) return { ends: [], until: sampledUntil };
  let from = Math.max(sampledUntil + SAMPLE_STEP_MS, firstEndFrom(occurredAt - SAMPLE_LOOKBACK_MS));
  if (recordTime !== undefined) from = Math.max(from, firstEndFrom(recordTime - graceMs));
  const ends: number[] = [];
  for (let end = from; end <= last; end += SAMPLE_STEP_MS) ends.push(end);
  return { ends, until: last };
}

/** A series bucket a sample fills: `beds` for the daily beds figures (08:00 London). */
export interface SampleTarget {
  size: BucketSize;
  id: string;
  /** The bucket's end (its key expires at end + retention). */
  end: number;
  beds: boolean;
}

/**
 * The buckets a sample at end T is the value of: the 15-minute bucket ending at T; the hour
 * ending at T if T is on the hour; the London day ending at T if T is London midnight; and the
 * daily beds figures of T's London date if T is 08:00 London.
 */
export function sampleTargets(end: number): SampleTarget[] {
  const targets: SampleTarget[] = [
    { size: '15m', id: String(end - SAMPLE_STEP_MS), end, beds: false },
  ];
  if (end % HOUR_MS === 0)
    targets.push({ size: '1h', id: String(end - HOUR_MS), end, beds: false });
  const date = londonDateOf(end);
  const day = londonDayBounds(date);
  if (day.start === end) {
    const before = londonDateOf(end - 1);
    targets.push({ size: '1d', id: before, end, beds: false });
  }
  if (bedsReferenceOf(date) === end)
    targets.push({ size: '1d', id: date, end: day.end, beds: true });
  return targets;
}

/**
 * The instant a gauge series point of a bucket is the value at: its end, except the daily beds
 * figures (08:00 London on the day).
 */
export function sampleInstantOf(
  size: BucketSize,
  bucketEnd: number,
  bucketId: string,
  beds: boolean,
): number {
  return size === '1d' && beds ? bedsReferenceOf(bucketId) : bucketEnd;
}

/** The London date a sample at end T is attributed on: that of the bucket it ends. */
export function sampleDateOf(end: number): string {
  return londonDateOf(end - 1);
}
