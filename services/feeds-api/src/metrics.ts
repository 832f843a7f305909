// The metrics a series can list: every counter figure, its deprecated former names, figures
// derived from one counter in this API's units (units.ts), and every age-split gauge (gauge
// history: its value at each bucket's end, docs/aggregation.md "Gauge history").
import {
  COUNTER_FIGURES,
  DEPRECATED_COUNTER_ALIASES,
  FIGURE_FAMILY,
  GAUGE_FIGURES,
  type BucketSize,
  type CounterFigure,
  type FigureFamily,
  type GaugeFigure,
  type Scope,
  type Split,
} from '@pulse/kpi';
import type { StoredPoint } from './honest-series.js';
import type { FiguresSource } from './ports.js';
import { msToHours, type Unit } from './units.js';

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

/** Every name the `metric` parameter takes. */
export const SERIES_METRICS: readonly string[] = [
  ...COUNTER_FIGURES,
  ...Object.keys(DERIVED_METRICS),
  ...Object.keys(DEPRECATED_COUNTER_ALIASES),
  ...GAUGE_FIGURES,
];

export interface ResolvedMetric {
  /** The name answered (a deprecated alias is answered under its figure's name). */
  name: string;
  /** The figure read: a counter (counted per bucket) or a gauge (sampled at each bucket's end). */
  figure: CounterFigure | GaugeFigure;
  kind: 'counter' | 'gauge';
  /** The family of figures it belongs to (coverage). */
  family: FigureFamily;
  unit: Unit;
  /** Turns the counter's split into the metric's, in its unit. */
  convert: (split: Split, exact: boolean) => Split;
}

const same = (split: Split) => split;

export function resolveMetric(name: string): ResolvedMetric {
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
  metric: ResolvedMetric,
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
