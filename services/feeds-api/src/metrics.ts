// The metrics a series can list: every counter figure, its deprecated former names, figures
// derived from one counter in this API's units (units.ts), every age-split gauge (gauge
// history: its value at each bucket's end, docs/aggregation.md "Gauge history"), and the G&A
// beds figures with no age split (open, occupied, occupancy %: daily at 08:00 London).
import {
  BED_FIGURES,
  COUNTER_FIGURES,
  DEPRECATED_COUNTER_ALIASES,
  FIGURE_FAMILY,
  GAUGE_FIGURES,
  type BedFigure,
  type BedFigures,
  type BucketSize,
  type CounterFigure,
  type FigureFamily,
  type GaugeFigure,
  type Scope,
  type Split,
} from '@pulse/kpi';
import type { StoredPoint } from './honest-series.js';
import type { FiguresSource } from './ports.js';
import { msToHours, occupancyPct, type Unit } from './units.js';

/** Derived metrics: the counter each is read from, and the conversion to its unit. */
export const DERIVED_METRICS = {
  ambulance_handover_hours_lost: {
    from: 'ambulance_handover_ms_lost',
    unit: 'hours',
    convert: msToHours,
    description: 'Ambulance handover time lost beyond the 15-minute standard, in hours.',
  },
} as const satisfies Record<
  string,
  {
    from: CounterFigure;
    unit: Unit;
    convert: (split: Split, exact: boolean) => Split;
    description: string;
  }
>;
export type DerivedMetric = keyof typeof DERIVED_METRICS;

/** G&A beds figures: no age split, one number per point (the snapshot's `live.beds` and occupancy). */
export const BED_METRICS = [...BED_FIGURES, 'ga_occupancy_pct'] as const;
export type BedMetric = (typeof BED_METRICS)[number];

/** Every name the `metric` parameter takes. */
export const SERIES_METRICS: readonly string[] = [
  ...COUNTER_FIGURES,
  ...Object.keys(DERIVED_METRICS),
  ...Object.keys(DEPRECATED_COUNTER_ALIASES),
  ...GAUGE_FIGURES,
  ...BED_METRICS,
];

interface MetricCommon {
  /** The name answered (a deprecated alias is answered under its figure's name). */
  name: string;
  /** The family of figures it belongs to (coverage). */
  family: FigureFamily;
  unit: Unit;
}

/** A figure split by age group: a counter (counted per bucket) or a gauge (at each bucket's end). */
export interface SplitMetric extends MetricCommon {
  /** The figure read. */
  figure: CounterFigure | GaugeFigure;
  kind: 'counter' | 'gauge';
  /** Turns the counter's split into the metric's, in its unit. */
  convert: (split: Split, exact: boolean) => Split;
}

/** A G&A beds figure: sampled as the gauges are (1d: at 08:00 London), one number per point. */
export interface BedsMetric extends MetricCommon {
  name: BedMetric;
  kind: 'beds';
  /** The point's value from the beds open and occupied (null where either is unknown). */
  value: (beds: Record<BedFigure, number | null>, exact: boolean) => number | null;
}

export type ResolvedMetric = SplitMetric | BedsMetric;

const same = (split: Split) => split;

/** A beds metric's value: a count as it is, occupancy as occupied / open summed over the scope. */
function bedValue(name: BedMetric) {
  return (beds: Record<BedFigure, number | null>, exact: boolean): number | null => {
    if (name !== 'ga_occupancy_pct') return beds[name];
    const { ga_beds_open, ga_beds_occupied } = beds;
    if (ga_beds_open === null || ga_beds_occupied === null) return null;
    return occupancyPct({ ga_beds_open, ga_beds_occupied }, exact);
  };
}

export function resolveMetric(name: string): ResolvedMetric {
  if ((BED_METRICS as readonly string[]).includes(name)) {
    const bed = name as BedMetric;
    const unit = bed === 'ga_occupancy_pct' ? 'percent' : 'count';
    return { name: bed, kind: 'beds', family: 'beds', unit, value: bedValue(bed) };
  }
  const derived = DERIVED_METRICS[name as DerivedMetric];
  if (derived) {
    const { from: figure, unit, convert } = derived;
    return { name, figure, kind: 'counter', family: FIGURE_FAMILY[figure], unit, convert };
  }
  if ((GAUGE_FIGURES as readonly string[]).includes(name)) {
    const figure = name as GaugeFigure;
    const family = FIGURE_FAMILY[figure];
    return { name, figure, kind: 'gauge', family, unit: 'count', convert: same };
  }
  const aliases: Readonly<Record<string, CounterFigure | undefined>> = DEPRECATED_COUNTER_ALIASES;
  const figure = aliases[name] ?? (name as CounterFigure);
  const unit = figure === 'ambulance_handover_ms_lost' ? 'milliseconds' : 'count';
  return {
    name: figure,
    figure,
    kind: 'counter',
    family: FIGURE_FAMILY[figure],
    unit,
    convert: same,
  };
}

/**
 * A metric's stored points over the buckets covering [from, to): a counter's per bucket with the
 * trusts that reported its family; a gauge's sample at each bucket's end with the trusts sampled.
 */
export async function storedSeries(
  figures: Pick<FiguresSource, 'counterSeries' | 'gaugeSeries'>,
  metric: SplitMetric,
  scope: Scope,
  size: BucketSize,
  from: number,
  to: number,
): Promise<StoredPoint<Split>[]> {
  if (metric.kind === 'counter')
    return figures.counterSeries(scope, metric.figure as CounterFigure, size, from, to);
  const figure = metric.figure as GaugeFigure;
  return (await figures.gaugeSeries(scope, size, from, to)).map(({ bucket, sample }) => ({
    bucket,
    value: sample.gauges[figure],
    reported: sample.sampled,
  }));
}

/**
 * The G&A beds open and occupied over the buckets covering [from, to): the sample at each
 * bucket's end (1d: at 08:00 London, the sitrep's reading), with the trusts sampled then.
 */
export async function storedBeds(
  figures: Pick<FiguresSource, 'gaugeSeries'>,
  scope: Scope,
  size: BucketSize,
  from: number,
  to: number,
): Promise<StoredPoint<BedFigures>[]> {
  return (await figures.gaugeSeries(scope, size, from, to)).map(({ bucket, beds }) => ({
    bucket,
    value: beds.beds,
    reported: beds.sampled,
  }));
}
