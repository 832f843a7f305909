// The metrics a series can list: every counter figure, its deprecated former names, and figures
// derived from one counter in this API's units (units.ts).
import {
  COUNTER_FIGURES,
  DEPRECATED_COUNTER_ALIASES,
  type CounterFigure,
  type Split,
} from '@pulse/kpi';
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
];

export interface ResolvedMetric {
  /** The name answered (a deprecated alias is answered under its figure's name). */
  name: string;
  /** The counter read. */
  figure: CounterFigure;
  unit: Unit;
  /** Turns the counter's split into the metric's, in its unit. */
  convert: (split: Split, exact: boolean) => Split;
}

export function resolveMetric(name: string): ResolvedMetric {
  const derived = DERIVED_METRICS[name as DerivedMetric];
  if (derived) return { name, figure: derived.from, unit: derived.unit, convert: derived.convert };
  const aliases: Readonly<Record<string, CounterFigure | undefined>> = DEPRECATED_COUNTER_ALIASES;
  const figure = aliases[name] ?? (name as CounterFigure);
  const unit = figure === 'ambulance_handover_ms_lost' ? 'milliseconds' : 'count';
  return { name: figure, figure, unit, convert: (split) => split };
}
