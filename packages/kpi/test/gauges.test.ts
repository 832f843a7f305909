import { describe, expect, it } from 'vitest';
import {
  addSplit,
  addToSplit,
  deriveRates,
  ED_OVER_MS,
  ED_WITHIN_MS,
  emptyCounterFigures,
  emptySplit,
  HANDOVER_OVER_30M_MS,
  HANDOVER_OVER_60M_MS,
  HANDOVER_STANDARD_MS,
  GAUGE_OVER,
  isOver,
  RTT_18W_MS,
  RTT_52W_MS,
  RTT_65W_MS,
} from '../src/index.js';

describe('thresholds', () => {
  it('should be the durations the design names', () => {
    expect([ED_WITHIN_MS, ED_OVER_MS]).toEqual([14_400_000, 43_200_000]);
    expect([HANDOVER_STANDARD_MS, HANDOVER_OVER_30M_MS, HANDOVER_OVER_60M_MS]).toEqual([
      900_000, 1_800_000, 3_600_000,
    ]);
    const week = 604_800_000;
    expect([RTT_18W_MS, RTT_52W_MS, RTT_65W_MS]).toEqual([18 * week, 52 * week, 65 * week]);
  });

  it('should count in the department 12 hours or more from exactly 12 h, and 1 ms less not', () => {
    const ed = GAUGE_OVER.find((o) => o.figure === 'ed_in_department_over_12h')!;
    expect(isOver(1_001 - ED_OVER_MS, 1_000, ed)).toBe(false); // 11 h 59 m 59.999 s
    expect(isOver(1_000 - ED_OVER_MS, 1_000, ed)).toBe(true); // exactly 12 h
    expect(isOver(999 - ED_OVER_MS, 1_000, ed)).toBe(true);
  });

  it('should count RTT waits as over only strictly beyond their weeks', () => {
    const w18 = GAUGE_OVER.find((o) => o.figure === 'rtt_over_18w')!;
    expect(isOver(1_000 - RTT_18W_MS, 1_000, w18)).toBe(false);
    expect(isOver(999 - RTT_18W_MS, 1_000, w18)).toBe(true);
  });
});

describe('splits', () => {
  it('should add into a group and its total, and split into split', () => {
    const a = addToSplit(addToSplit(emptySplit(), 'child', 2), 'unknown', 1);
    expect(addSplit(a, { child: 1, adult: 4, unknown: 0, total: 5 })).toEqual({
      child: 3,
      adult: 4,
      unknown: 1,
      total: 8,
    });
  });
});

describe('deriveRates', () => {
  it('should give null shares and occupancy where the denominator is zero', () => {
    const rates = deriveRates(emptyCounterFigures(), { ga_beds_open: 0, ga_beds_occupied: 0 });
    expect(rates.ed_within_4h_share).toEqual({
      child: null,
      adult: null,
      unknown: null,
      total: null,
    });
    expect(rates.ga_occupancy_pct).toBeNull();
    expect(deriveRates(emptyCounterFigures()).ga_occupancy_pct).toBeNull();
  });

  it('should derive the 4-hour share, hours lost and occupancy %', () => {
    const counters = emptyCounterFigures();
    addToSplit(counters.ed_departures, 'adult', 4);
    addToSplit(counters.ed_departures_within_4h, 'adult', 3);
    addToSplit(counters.ambulance_handover_ms_lost, 'child', 5_400_000);
    const rates = deriveRates(counters, { ga_beds_open: 400, ga_beds_occupied: 380 });
    expect(rates.ed_within_4h_share).toEqual({
      child: null,
      adult: 0.75,
      unknown: null,
      total: 0.75,
    });
    expect(rates.ambulance_handover_hours_lost).toEqual({
      child: 1.5,
      adult: 0,
      unknown: 0,
      total: 1.5,
    });
    expect(rates.ga_occupancy_pct).toBe(95);
  });
});
