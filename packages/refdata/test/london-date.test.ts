import { describe, expect, it } from 'vitest';
import {
  londonDateOf,
  londonDayStartOf,
  londonDaySpan,
  londonHourOf,
  londonWeekdayOf,
} from '../src/index.js';

const at = (iso: string) => londonDateOf(Date.parse(iso));

describe('londonDateOf', () => {
  it('londonDateOf should use GMT on the day the clocks go forward (23 hours)', () => {
    expect(at('2026-03-28T23:30:00Z')).toBe('2026-03-28');
    expect(at('2026-03-29T00:00:00Z')).toBe('2026-03-29');
    expect(at('2026-03-29T00:59:59.999Z')).toBe('2026-03-29');
    expect(at('2026-03-29T01:00:00Z')).toBe('2026-03-29'); // 02:00 BST
    expect(at('2026-03-29T22:59:59Z')).toBe('2026-03-29'); // 23:59:59 BST
    expect(at('2026-03-29T23:00:00Z')).toBe('2026-03-30'); // midnight BST
  });

  it('londonDateOf should use BST until the day the clocks go back (25 hours)', () => {
    expect(at('2026-10-24T22:59:59Z')).toBe('2026-10-24');
    expect(at('2026-10-24T23:30:00Z')).toBe('2026-10-25'); // 00:30 BST
    expect(at('2026-10-25T00:30:00Z')).toBe('2026-10-25'); // 01:30 BST
    expect(at('2026-10-25T01:30:00Z')).toBe('2026-10-25'); // 01:30 GMT, the repeated hour
    expect(at('2026-10-25T23:59:59Z')).toBe('2026-10-25'); // 23:59:59 GMT
    expect(at('2026-10-26T00:00:00Z')).toBe('2026-10-26');
  });

  it('londonDateOf should give the same answer in any order (hour cache)', () => {
    const instants = [
      '2026-06-30T23:00:00Z',
      '2026-01-01T00:00:00Z',
      '2026-06-30T22:59:59Z',
      '2025-12-31T23:59:59Z',
    ];
    const first = instants.map(at);
    expect(first).toEqual(['2026-07-01', '2026-01-01', '2026-06-30', '2025-12-31']);
    expect([...instants].reverse().map(at)).toEqual([...first].reverse());
  });

  it('londonDateOf should agree with Intl on every hour of 2026', () => {
    const reference = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 3_600_000 - 1) {
      expect(londonDateOf(ms)).toBe(reference.format(ms));
    }
  });

  it('londonDateOf should reject an instant that is not finite', () => {
    expect(() => londonDateOf(Number.NaN)).toThrow(RangeError);
  });
});

describe('londonDaySpan', () => {
  const iso = (ms: number) => new Date(ms).toISOString();

  it('londonDaySpan should give 23, 24 and 25 hours from London midnight to London midnight', () => {
    const spring = londonDaySpan('2026-03-29');
    expect([iso(spring.start), iso(spring.end)]).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T23:00:00.000Z',
    ]);
    const summer = londonDaySpan('2026-07-01');
    expect([iso(summer.start), iso(summer.end)]).toEqual([
      '2026-06-30T23:00:00.000Z',
      '2026-07-01T23:00:00.000Z',
    ]);
    const autumn = londonDaySpan('2026-10-25');
    expect([iso(autumn.start), iso(autumn.end)]).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-26T00:00:00.000Z',
    ]);
  });

  it('londonDaySpan should agree with londonDateOf at both ends', () => {
    for (const date of ['2026-01-01', '2026-03-28', '2026-03-29', '2026-10-25', '2026-12-31']) {
      const { start, end } = londonDaySpan(date);
      expect([londonDateOf(start), londonDateOf(end - 1), londonDateOf(end)]).toEqual([
        date,
        date,
        londonDateOf(end),
      ]);
      expect(londonDateOf(end)).not.toBe(date);
    }
  });

  it('londonDaySpan should reject what is not a calendar date', () => {
    for (const bad of ['2026-02-30', '2026-6-01', '', '2026-06-01T00:00Z']) {
      expect(() => londonDaySpan(bad)).toThrow(RangeError);
    }
  });
});

describe('London wall clock', () => {
  it('londonHourOf should read local hours across both clock changes', () => {
    expect(londonHourOf(Date.parse('2026-03-29T00:30:00Z'))).toBe(0.5); // GMT
    expect(londonHourOf(Date.parse('2026-03-29T01:30:00Z'))).toBe(2.5); // BST from 01:00 UTC
    expect(londonHourOf(Date.parse('2026-10-25T00:30:00Z'))).toBe(1.5); // BST
    expect(londonHourOf(Date.parse('2026-10-25T01:30:00Z'))).toBe(1.5); // GMT again
  });

  it('londonWeekdayOf should count from Monday in London, not UTC', () => {
    expect(londonWeekdayOf(Date.parse('2026-06-14T22:30:00Z'))).toBe(6); // Sunday 23:30 BST
    expect(londonWeekdayOf(Date.parse('2026-06-14T23:30:00Z'))).toBe(0); // Monday 00:30 BST
  });

  it('londonDayStartOf should be London midnight, on 23- and 25-hour days too', () => {
    expect(londonDayStartOf(Date.parse('2026-03-29T22:00:00Z'))).toBe(
      Date.parse('2026-03-29T00:00:00Z'),
    );
    expect(londonDayStartOf(Date.parse('2026-10-25T23:30:00Z'))).toBe(
      Date.parse('2026-10-24T23:00:00Z'),
    );
  });
});
