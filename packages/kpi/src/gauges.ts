// Figure arithmetic shared by the reader and the oracle: empty figures, sums, the "over"
// thresholds of the live gauges and the derived rates. Pure.
import { HOUR_MS } from './buckets.js';
import { ED_OVER_MS, RTT_18W_MS, RTT_52W_MS, RTT_65W_MS } from './thresholds.js';
import {
  BED_FIGURES,
  COUNTER_FIGURES,
  GAUGE_FIGURES,
  type AgeGroup,
  type BedFigures,
  type CounterFigures,
  type GaugeFigure,
  type GaugeFigures,
  type Split,
} from './types.js';

export function emptySplit(): Split {
  return { child: 0, adult: 0, unknown: 0, total: 0 };
}

/** Adds `by` to one group of a split (and its total); returns the split. */
export function addToSplit(split: Split, group: AgeGroup, by: number): Split {
  split[group] += by;
  split.total += by;
  return split;
}

/** Adds `add` into `into`, group by group; returns `into`. */
export function addSplit(into: Split, add: Split): Split {
  into.child += add.child;
  into.adult += add.adult;
  into.unknown += add.unknown;
  into.total += add.total;
  return into;
}

function emptyFigures<F extends string>(figures: readonly F[]): Record<F, Split> {
  return Object.fromEntries(figures.map((f) => [f, emptySplit()])) as Record<F, Split>;
}

export function emptyCounterFigures(): CounterFigures {
  return emptyFigures(COUNTER_FIGURES);
}

export function emptyGaugeFigures(): GaugeFigures {
  return emptyFigures(GAUGE_FIGURES);
}

export function emptyBedFigures(): BedFigures {
  return Object.fromEntries(BED_FIGURES.map((f) => [f, 0])) as BedFigures;
}

/**
 * The "over" gauges: an open item counts when its score (arrival, clock start) is before asOf -
 * threshold, strictly unless `inclusive` (then at it too): a ZCOUNT of scores in
 * (-inf, asOf - threshold) or (-inf, asOf - threshold]. "In the department 12 hours or more" is
 * inclusive (exactly 12 h 00 m counts, as for departures); the RTT waits are "more than" N weeks.
 */
export const GAUGE_OVER: readonly {
  figure: GaugeFigure;
  of: 'ed' | 'rtt';
  thresholdMs: number;
  inclusive: boolean;
}[] = [
  { figure: 'ed_in_department_over_12h', of: 'ed', thresholdMs: ED_OVER_MS, inclusive: true },
  { figure: 'rtt_over_18w', of: 'rtt', thresholdMs: RTT_18W_MS, inclusive: false },
  { figure: 'rtt_over_52w', of: 'rtt', thresholdMs: RTT_52W_MS, inclusive: false },
  { figure: 'rtt_over_65w', of: 'rtt', thresholdMs: RTT_65W_MS, inclusive: false },
];

/** Whether an open item with this score counts as over a threshold (`GAUGE_OVER`) as of an instant. */
export function isOver(
  score: number,
  asOf: number,
  over: { thresholdMs: number; inclusive: boolean },
): boolean {
  const bound = asOf - over.thresholdMs;
  return over.inclusive ? score <= bound : score < bound;
}

/** A rate per group: null where its denominator is zero. */
export type RateSplit = Record<keyof Split, number | null>;

export interface DerivedRates {
  /** Share (0 to 1) of ED departures within 4 hours of arrival; null when no departures. */
  ed_within_4h_share: RateSplit;
  /** Ambulance handover hours lost beyond the 15-minute standard. */
  ambulance_handover_hours_lost: Split;
  /** G&A occupancy, occupied / open x 100; null when no beds are open (or beds not given). */
  ga_occupancy_pct: number | null;
}

function ratio(numerator: number, denominator: number, scale = 1): number | null {
  return denominator === 0 ? null : (numerator / denominator) * scale;
}

/** The figures derived from counters (and beds, for occupancy). */
export function deriveRates(counters: CounterFigures, beds?: BedFigures): DerivedRates {
  const within = counters.ed_departures_within_4h;
  const departures = counters.ed_departures;
  const lost = counters.ambulance_handover_ms_lost;
  return {
    ed_within_4h_share: {
      child: ratio(within.child, departures.child),
      adult: ratio(within.adult, departures.adult),
      unknown: ratio(within.unknown, departures.unknown),
      total: ratio(within.total, departures.total),
    },
    ambulance_handover_hours_lost: {
      child: lost.child / HOUR_MS,
      adult: lost.adult / HOUR_MS,
      unknown: lost.unknown / HOUR_MS,
      total: lost.total / HOUR_MS,
    },
    ga_occupancy_pct: beds ? ratio(beds.ga_beds_occupied, beds.ga_beds_open, 100) : null,
  };
}
