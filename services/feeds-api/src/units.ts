// One set of units for every figure the API serves, and how they are rounded in JSON.
// Naming rule: a share is `<name>_pct`, a percentage 0-100; a duration is `<name>_hours`; any
// other figure is a count of what its description names. Counts are exact integers; derived
// figures are rounded (percentages to 1 decimal, hours to 2) unless the request asks `exact=true`.
import { deriveRates, HOUR_MS, type BedFigures, type CounterFigures, type Split } from '@pulse/kpi';

export type Unit = 'count' | 'percent' | 'hours' | 'milliseconds' | 'ratio' | 'seconds';

/** Decimals each derived unit is rounded to in JSON (counts are integers already). */
export const DECIMALS: Readonly<Record<Exclude<Unit, 'count' | 'milliseconds'>, number>> = {
  percent: 1,
  hours: 2,
  ratio: 4,
  seconds: 1,
};

/** Rounds half away from zero to `decimals`, or returns the value as is when exact. */
export function rounded(value: number, unit: keyof typeof DECIMALS, exact: boolean): number {
  if (exact) return value;
  const scale = 10 ** DECIMALS[unit];
  return (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale;
}

type NullableSplit = Record<keyof Split, number | null>;

const mapSplit = <T extends number | null>(
  split: Record<keyof Split, T>,
  f: (v: number) => number,
): Record<keyof Split, T> => ({
  child: (split.child === null ? null : f(split.child)) as T,
  adult: (split.adult === null ? null : f(split.adult)) as T,
  unknown: (split.unknown === null ? null : f(split.unknown)) as T,
  total: (split.total === null ? null : f(split.total)) as T,
});

export interface PeriodRates {
  ed_within_4h_pct: NullableSplit;
  /** Deprecated: the same share as 0-1. */
  ed_within_4h_share: NullableSplit;
  ambulance_handover_hours_lost: Split;
}

/** The rates a period's counters give, in this API's units. */
export function periodRates(counters: CounterFigures, exact: boolean): PeriodRates {
  const { ed_within_4h_share, ambulance_handover_hours_lost } = deriveRates(counters);
  return {
    ed_within_4h_pct: mapSplit(ed_within_4h_share, (v) => rounded(v * 100, 'percent', exact)),
    ed_within_4h_share: mapSplit(ed_within_4h_share, (v) => rounded(v, 'ratio', exact)),
    ambulance_handover_hours_lost: mapSplit(ambulance_handover_hours_lost, (v) =>
      rounded(v, 'hours', exact),
    ),
  };
}

/** G&A occupancy as a percentage, null when no beds are open. */
export function occupancyPct(beds: BedFigures, exact: boolean): number | null {
  const pct = beds.ga_beds_open === 0 ? null : (beds.ga_beds_occupied / beds.ga_beds_open) * 100;
  return pct === null ? null : rounded(pct, 'percent', exact);
}

/** A split of milliseconds as hours. */
export function msToHours(split: Split, exact: boolean): Split {
  return mapSplit(split, (ms) => rounded(ms / HOUR_MS, 'hours', exact));
}
