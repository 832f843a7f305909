import { describe, expect, it } from 'vitest';
import {
  bedsReferenceOf,
  DAY_MS,
  sampleCrossing,
  sampleDateOf,
  sampleTargets,
  SAMPLE_LOOKBACK_MS,
} from '../src/index.js';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const GRACE = 14 * DAY_MS;

describe('sampleCrossing', () => {
  it('should start a trust at its first event without sampling', () => {
    expect(sampleCrossing(undefined, at('2026-06-10T09:07Z'), undefined, GRACE)).toEqual({
      ends: [],
      until: at('2026-06-10T09:00Z'),
    });
  });

  it('should sample every end after sampledUntil and before the event, an end itself not crossed', () => {
    const until = at('2026-06-10T09:00Z');
    expect(sampleCrossing(until, at('2026-06-10T09:45Z'), undefined, GRACE)).toEqual({
      ends: [at('2026-06-10T09:15Z'), at('2026-06-10T09:30Z')],
      until: at('2026-06-10T09:30Z'),
    });
    expect(sampleCrossing(until, at('2026-06-10T09:45Z') + 1, undefined, GRACE).ends).toHaveLength(
      3,
    );
  });

  it('should not sample again or move back for a late event', () => {
    const until = at('2026-06-10T09:30Z');
    expect(sampleCrossing(until, at('2026-06-10T08:00Z'), undefined, GRACE)).toEqual({
      ends: [],
      until,
    });
  });

  it('should sample only the last day before an event after a long silence, and not before record time - grace', () => {
    const until = at('2026-06-01T00:00Z');
    const o = at('2026-06-10T12:00Z') + MIN;
    const { ends } = sampleCrossing(until, o, undefined, GRACE);
    expect(ends).toHaveLength(SAMPLE_LOOKBACK_MS / (15 * MIN));
    expect(ends[0]).toBe(at('2026-06-09T12:15Z'));
    const late = sampleCrossing(until, o, o + GRACE - 30 * MIN, GRACE).ends;
    expect(late).toEqual([at('2026-06-10T11:45Z'), at('2026-06-10T12:00Z')]);
  });
});

describe('sampleTargets', () => {
  it('should fill the 15-minute bucket, the hour on the hour, the day at London midnight', () => {
    const end = at('2026-06-10T23:00Z'); // midnight BST
    expect(sampleTargets(end)).toEqual([
      { size: '15m', id: String(end - 15 * MIN), end, beds: false },
      { size: '1h', id: String(end - 60 * MIN), end, beds: false },
      { size: '1d', id: '2026-06-10', end, beds: false },
    ]);
    expect(sampleTargets(at('2026-06-10T09:15Z'))).toHaveLength(1);
    expect(sampleDateOf(end)).toBe('2026-06-10');
  });

  it('should take the daily beds figures at 08:00 London, on days of 23 and 25 hours too', () => {
    expect(bedsReferenceOf('2026-03-29')).toBe(at('2026-03-29T07:00Z'));
    expect(bedsReferenceOf('2026-10-25')).toBe(at('2026-10-25T08:00Z'));
    expect(bedsReferenceOf('2026-01-15')).toBe(at('2026-01-15T08:00Z'));
    const end = at('2026-03-29T07:00Z');
    expect(sampleTargets(end)).toContainEqual({
      size: '1d',
      id: '2026-03-29',
      end: at('2026-03-29T23:00Z'),
      beds: true,
    });
  });
});
