// The one mapping from snapshot fields to tiles: renamed fields read by either name, suppressed
// values shown as such, the age views, and the running totals of the curves.
import { describe, expect, it } from 'vitest';
import {
  cumulative,
  formatValue,
  fourHourPct,
  pointValue,
  TILES,
  handoverHoursLost,
  reportingOf,
  tileById,
  tileText,
  type Snapshot,
  type Split,
} from '../src/app/figures.js';

const split = (child: number | null, adult: number | null): Split => ({
  child,
  adult,
  unknown: 0,
  total: child === null || adult === null ? null : child + adult,
});

function snapshot(rates: Snapshot['today']['rates'], counters: Snapshot['today']['counters']) {
  return {
    scope: { kind: 'england', name: 'England' },
    asOf: '2026-04-02T12:00:00.000Z',
    londonDate: '2026-04-02',
    live: {
      gauges: { ed_in_department: split(3, 40) },
      beds: { ga_beds_open: 200, ga_beds_occupied: 190 },
      ga_occupancy_pct: 95,
    },
    today: { counters, rates },
    freshness: { newestEventAt: null, ageSeconds: null },
    completeness: { reported: 1, expected: 2 },
  } satisfies Snapshot;
}

describe('figures', () => {
  it('should read the 4-hour share from the new percentage when served, else the 0–1 share', () => {
    const old = snapshot({ ed_within_4h_share: split(0.5, 0.75) }, {});
    expect(fourHourPct(old, 'child')).toBe(50);
    expect(fourHourPct(old, 'adult')).toBe(75);
    const renamed = snapshot({ ed_within_4h_pct: split(51, 76) }, {});
    expect(fourHourPct(renamed, 'child')).toBe(51);
    expect(tileText(tileById('ed_within_4h')!, renamed, 'adult')).toBe('76.0%');
  });

  it('should read handover hours when served, else derive them from milliseconds', () => {
    const old = snapshot({}, { ambulance_handover_ms_lost: split(1_800_000, 9_000_000) });
    expect(handoverHoursLost(old, 'child')).toBe(0.5);
    expect(handoverHoursLost(old, 'total')).toBe(3);
    const renamed = snapshot({ ambulance_handover_hours_lost: split(1, 2) }, {});
    expect(handoverHoursLost(renamed, 'adult')).toBe(2);
    expect(tileText(tileById('ambulance_hours_lost')!, old, 'total')).toBe('3.0 h');
  });

  it('should show suppressed values as a dash and beds as not split by age', () => {
    const s = snapshot({ ed_within_4h_share: split(null, 0.5) }, {});
    expect(tileText(tileById('ed_within_4h')!, s, 'child')).toBe('–');
    expect(tileText(tileById('ga_occupancy')!, s, 'total')).toBe('95.0%');
    expect(tileText(tileById('ga_occupancy')!, s, 'child')).toBe('Not split by age');
    expect(tileText(tileById('ed_in_department')!, s, 'total')).toBe('43');
    expect(formatValue(12_345, 'count')).toBe('12,345');
  });

  it('should keep running totals and shares, a bucket with no value a gap', () => {
    expect(cumulative([1, 2, 3])).toEqual([1, 3, 6]);
    expect(cumulative([1, 1], [2, 2], 100)).toEqual([50, 50]);
    expect(cumulative([0, 1], [0, 4], 100)).toEqual([null, 25]);
    expect(cumulative([1, null, 3])).toEqual([1, null, 4]);
    expect(cumulative([1, 1], [2, null], 100)).toEqual([50, null]);
  });

  it('should read a series point in an age view, a figure with no split only for all ages', () => {
    expect(pointValue(split(3, 40), 'child')).toBe(3);
    expect(pointValue(split(null, 40), 'child')).toBeNull();
    expect(pointValue(null, 'total')).toBeNull();
    expect(pointValue(94.5, 'total')).toBe(94.5);
    expect(pointValue(94.5, 'adult')).toBeNull();
  });

  it('should give every live gauge tile a 15-minute curve and every daily count a running one', () => {
    for (const tile of TILES)
      expect(tile.curve.kind, tile.id).toBe(tile.period === 'live' ? 'gauge' : 'running');
  });

  it('should call a provider late after 15 minutes and silent after an hour', () => {
    expect(reportingOf(60)).toBe('fresh');
    expect(reportingOf(901)).toBe('late');
    expect(reportingOf(3601)).toBe('silent');
    expect(reportingOf(null)).toBe('silent');
  });
});
