// Schemas of the figure catalogue (@pulse/kpi), one property per figure with what it counts.
import {
  BED_FIGURES,
  COUNTER_FIGURES,
  DEPRECATED_COUNTER_ALIASES,
  GAUGE_FIGURES,
  type BedFigure,
  type CounterFigure,
  type GaugeFigure,
} from '@pulse/kpi';
import { Type, type TNull, type TNumber, type TObject, type TUnion } from 'typebox';
import type { Unit } from '../units.js';
import { RateSplit, Split } from './common.js';
import { component } from './components.js';

export const COUNTER_DESCRIPTIONS: Record<CounterFigure, string> = {
  ed_attendances: 'ED attendances (arrivals).',
  ed_attendances_ambulance: 'ED attendances arriving by ambulance.',
  ed_departures: 'ED departures.',
  ed_departures_within_4h:
    'ED departures 4 hours or less after arrival (the 4-hour standard; exactly 4 h is within).',
  ed_departures_over_12h:
    'ED departures 12 hours or more after arrival (NHS England’s 12 hours from arrival; exactly 12 h counts).',
  ed_departures_admitted: 'ED departures admitted to hospital.',
  ambulance_handovers: 'Ambulance handovers.',
  ambulance_handovers_over_30m:
    'Ambulance handovers more than 30 minutes after arrival (exactly 30 min is not).',
  ambulance_handovers_over_60m:
    'Ambulance handovers more than 60 minutes after arrival (exactly 60 min is not).',
  ambulance_handover_ms_lost:
    'Deprecated (milliseconds; use `rates.ambulance_handover_hours_lost`, or the series metric `ambulance_handover_hours_lost`): time lost beyond the 15-minute handover standard.',
  admissions_emergency: 'Emergency admissions.',
  admissions_elective: 'Elective admissions.',
  admissions_other: 'Other admissions (maternity, transfers…).',
  discharges_home: 'Discharges to usual place of residence.',
  discharges_care_home: 'Discharges to a care home.',
  discharges_other_provider: 'Discharges to another provider.',
  discharges_hospice: 'Discharges to a hospice.',
  discharges_died: 'Deaths in hospital.',
  discharges_other: 'Discharges to other destinations.',
  discharges_not_meeting_ctr: 'Discharges of patients who no longer met the criteria to reside.',
  rtt_clock_starts_recorded:
    'RTT pathways recorded as started (RTT_CLOCK_START events), in the buckets of when they were recorded, not of their clock start date.',
  rtt_clock_stops: 'RTT clock stops (treatment started or pathway closed).',
};

export const GAUGE_DESCRIPTIONS: Record<GaugeFigure, string> = {
  ed_in_department: 'Patients in the ED now (arrived, not departed).',
  ed_in_department_over_12h: 'Patients in the ED now who arrived 12 hours or more before asOf.',
  ctr_not_meeting: 'Inpatients who no longer meet the criteria to reside, not yet discharged.',
  rtt_waiting: 'RTT pathways waiting now (clock started, not stopped).',
  rtt_over_18w: 'RTT pathways waiting more than 18 weeks.',
  rtt_over_52w: 'RTT pathways waiting more than 52 weeks.',
  rtt_over_65w: 'RTT pathways waiting more than 65 weeks.',
};

const BED_DESCRIPTIONS: Record<BedFigure, string> = {
  ga_beds_open: 'General & acute beds open (newest bed state of every site).',
  ga_beds_occupied: 'General & acute beds occupied (newest bed state of every site).',
};

const splitExample = { child: 0, adult: 0, unknown: 0, total: 0 };

/** The unit of a figure, stated in the document as `x-unit` and in its description. */
export function withUnit<T extends object>(schema: T, unit: Unit, description: string) {
  return { ...schema, description: `${description} Unit: ${UNIT_WORDS[unit]}.`, 'x-unit': unit };
}

const UNIT_WORDS: Record<Unit, string> = {
  count: 'a count (integer)',
  percent: 'per cent, 0 to 100, rounded to 1 decimal (exact=true: unrounded)',
  hours: 'hours, rounded to 2 decimals (exact=true: unrounded)',
  milliseconds: 'milliseconds (integer)',
  ratio: 'a ratio, 0 to 1, rounded to 4 decimals (exact=true: unrounded)',
  seconds: 'seconds',
};

/** Counter figures whose unit is not a count. */
const COUNTER_UNITS: Partial<Record<CounterFigure, Unit>> = {
  ambulance_handover_ms_lost: 'milliseconds',
};

/** The unit of a counter figure (milliseconds: deprecated for hours). */
export const counterUnit = (figure: CounterFigure): Unit => COUNTER_UNITS[figure] ?? 'count';

function splits<F extends string>(
  figures: readonly F[],
  descriptions: Record<F, string>,
  description: string,
) {
  const properties = Object.fromEntries(
    figures.map((f) => {
      const unit = counterUnit(f as unknown as CounterFigure);
      const schema = withUnit(Split, unit, descriptions[f]);
      return [f, unit === 'milliseconds' ? { ...schema, deprecated: true } : schema];
    }),
  ) as unknown as Record<F, typeof Split>;
  return Type.Object(properties, {
    description,
    examples: [Object.fromEntries(figures.map((f) => [f, splitExample]))],
  });
}

export const CounterFiguresSchema = Type.Object(
  {
    ...splits(COUNTER_FIGURES, COUNTER_DESCRIPTIONS, '').properties,
    // Former names, served beside the new ones until clients move (kpi DEPRECATED_COUNTER_ALIASES).
    ...Object.fromEntries(
      Object.entries(DEPRECATED_COUNTER_ALIASES).map(([alias, figure]) => [
        alias,
        {
          ...withUnit(Split, 'count', `Deprecated: the same as \`${figure}\`.`),
          deprecated: true,
        },
      ]),
    ),
  },
  {
    description: 'Counted figures of a period, each split by age group.',
    examples: [
      Object.fromEntries(
        [...COUNTER_FIGURES, ...Object.keys(DEPRECATED_COUNTER_ALIASES)].map((f) => [
          f,
          splitExample,
        ]),
      ),
    ],
  },
);
component('CounterFigures', CounterFiguresSchema);

export const GaugeFiguresSchema = splits(
  GAUGE_FIGURES,
  GAUGE_DESCRIPTIONS,
  'Live gauges as of the instant read, each split by age group.',
);
component('GaugeFigures', GaugeFiguresSchema);

export const BedFiguresSchema: TObject<Record<BedFigure, TUnion<[TNumber, TNull]>>> = Type.Object(
  Object.fromEntries(
    BED_FIGURES.map((f) => [
      f,
      Type.Union(
        [Type.Number(), Type.Null()],
        withUnit(
          { examples: [812] },
          'count',
          `${BED_DESCRIPTIONS[f]} Null where disclosure control suppressed it.`,
        ),
      ),
    ]),
  ) as Record<BedFigure, TUnion<[TNumber, TNull]>>,
  {
    description: 'G&A bed figures (no age split).',
    examples: [{ ga_beds_open: 812, ga_beds_occupied: 770 }],
  },
);
component('BedFigures', BedFiguresSchema);

export const PeriodRatesSchema = Type.Object(
  {
    ed_within_4h_pct: withUnit(
      RateSplit,
      'percent',
      'Share of ED departures within 4 hours of arrival (the 4-hour standard); null when there were none.',
    ),
    ed_within_4h_share: {
      ...withUnit(
        RateSplit,
        'ratio',
        'Deprecated (use `ed_within_4h_pct`): the same share as a ratio; null when there were no departures.',
      ),
      deprecated: true,
    },
    ambulance_handover_hours_lost: withUnit(
      Split,
      'hours',
      'Ambulance handover time lost beyond the 15-minute standard.',
    ),
  },
  {
    description: 'Rates derived from the period’s counters.',
    examples: [
      {
        ed_within_4h_pct: { child: 90, adult: 72.4, unknown: null, total: 74.1 },
        ed_within_4h_share: { child: 0.9, adult: 0.7237, unknown: null, total: 0.7411 },
        ambulance_handover_hours_lost: { child: 0, adult: 3.5, unknown: 0, total: 3.5 },
      },
    ],
  },
);
component('PeriodRates', PeriodRatesSchema);
