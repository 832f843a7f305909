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
import { RateSplit, Split } from './common.js';

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
  ambulance_handover_ms_lost: 'Milliseconds lost beyond the 15-minute handover standard.',
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

function splits<F extends string>(
  figures: readonly F[],
  descriptions: Record<F, string>,
  description: string,
) {
  const properties = Object.fromEntries(
    figures.map((f) => [f, { ...Split, description: descriptions[f] }]),
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
        { ...Split, description: `Deprecated: the same as \`${figure}\`.`, deprecated: true },
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

export const GaugeFiguresSchema = splits(
  GAUGE_FIGURES,
  GAUGE_DESCRIPTIONS,
  'Live gauges as of the instant read, each split by age group.',
);

export const BedFiguresSchema: TObject<Record<BedFigure, TUnion<[TNumber, TNull]>>> = Type.Object(
  Object.fromEntries(
    BED_FIGURES.map((f) => [
      f,
      Type.Union([Type.Number(), Type.Null()], {
        description: `${BED_DESCRIPTIONS[f]} Null where disclosure control suppressed it.`,
        examples: [812],
      }),
    ]),
  ) as Record<BedFigure, TUnion<[TNumber, TNull]>>,
  {
    description: 'G&A bed figures (no age split).',
    examples: [{ ga_beds_open: 812, ga_beds_occupied: 770 }],
  },
);

export const PeriodRatesSchema = Type.Object(
  {
    ed_within_4h_share: {
      ...RateSplit,
      description: 'Share (0 to 1) of ED departures within 4 hours; null when there were none.',
    },
    ambulance_handover_hours_lost: {
      ...Split,
      description: 'Ambulance handover hours lost beyond the 15-minute standard.',
    },
  },
  {
    description: 'Rates derived from the period’s counters.',
    examples: [
      {
        ed_within_4h_share: { child: 0.9, adult: 0.72, unknown: null, total: 0.74 },
        ambulance_handover_hours_lost: { child: 0, adult: 3.5, unknown: 0, total: 3.5 },
      },
    ],
  },
);
