import { FIGURE_FAMILIES } from '@pulse/kpi';
import { SERIES_METRICS } from '../metrics.js';
import { Type, type Static } from 'typebox';
import { ExactQuery, Instant, INSTANT_OR_DATE_PATTERN, Split } from './common.js';
import { disclosureProperties } from './disclosure.js';
import { ScopeInfoSchema } from './scope.js';
import { CONTROLLED_NULL, CoverageSchema } from './coverage.js';
import { FormatQuery } from '../formats.js';
import { SCOPE_REF_PATTERN } from '../scope-list.js';
import { component } from './components.js';

export const INTERVALS = ['15m', '1h', '1d'] as const;

const instantOrDate = (description: string, example: string) =>
  Type.String({ pattern: INSTANT_OR_DATE_PATTERN, description, examples: [example] });

const METRIC_DESCRIPTION =
  'a counter (see the snapshot’s `counters` for what each counts), `ambulance_handover_hours_lost` (hours), or a gauge (the snapshot’s `gauges`: `ed_in_department`, `ed_in_department_over_12h`, `ctr_not_meeting`, `rtt_waiting`, `rtt_over_18w`, `rtt_over_52w`, `rtt_over_65w`; a count of patients or pathways), whose point is its value at the bucket’s end: gauge history, each trust sampled as its own events pass the end, never revised by a later, late event (docs/aggregation.md, “Gauge history”); or a G&A beds figure with no age split (`ga_beds_open`, `ga_beds_occupied`: counts; `ga_occupancy_pct`: per cent, occupied / open over the trusts of the scope sampled, as the snapshot’s), sampled as the gauges are but, at 1d, read at 08:00 Europe/London on the day (the time the daily UEC sitrep reads G&A beds), not at the day’s end. `rtt_clock_starts` is a deprecated name of `rtt_clock_starts_recorded`, answered under the new name; `ambulance_handover_ms_lost` (milliseconds) is deprecated for `ambulance_handover_hours_lost`.';

const Metric = (description: string) =>
  Type.Enum([...SERIES_METRICS], { description, examples: ['ed_attendances'] });

/** The range, interval and options every series request has. */
const rangeProperties = {
  from: instantOrDate(
    'Start (inclusive): an RFC 3339 instant with offset, or a date YYYY-MM-DD meaning London midnight at its start. The first point is the bucket containing it.',
    '2026-04-01T00:00:00Z',
  ),
  to: instantOrDate(
    'End (exclusive), after `from`: an instant, or a date meaning London midnight at its start (so from=2026-04-01&to=2026-04-08 is seven days). The last point is the bucket containing the instant just before it.',
    '2026-04-02T00:00:00Z',
  ),
  interval: Type.Optional(
    Type.Enum([...INTERVALS], {
      description:
        'Bucket size: 15m and 1h are UTC-aligned; 1d is the London calendar day (23 to 25 hours). Default 1h.',
      examples: ['1h'],
    }),
  ),
  exact: Type.Optional(ExactQuery),
  format: Type.Optional(FormatQuery),
};

export const SeriesQuery = Type.Object(
  { metric: Metric(`The figure to list: ${METRIC_DESCRIPTION}`), ...rangeProperties },
  { additionalProperties: false },
);
export type SeriesQuery = Static<typeof SeriesQuery>;

export const SeriesPointSchema = Type.Object(
  {
    start: Instant('Bucket start (inclusive).'),
    end: Instant('Bucket end (exclusive).'),
    value: Type.Union([Split, Type.Number(), Type.Null()], {
      description:
        'The figure in the bucket, split by age group (a gauge: its value at the bucket’s end, summed over the trusts sampled then), or one number for a figure with no age split (G&A beds: `ga_beds_open`, `ga_beds_occupied`, `ga_occupancy_pct`; at 1d the reading at 08:00 London, else at the bucket’s end; occupancy null also when no beds are open); null when nothing is known of it: the bucket is in the future, or no provider of the scope reported the figure’s family in it (a gauge: no trust of the scope was sampled at its end; also after the retention of its size). 0 means reported, and none.',
    }),
    coverage: Type.Union([CoverageSchema, Type.Null()], {
      description: `Providers of the scope that reported the figure’s family in the bucket, out of those expected. For a gauge: trusts of the scope sampled at the bucket’s end, out of every trust of the scope on the bucket’s London date (a sampled trust contributes its whole state, 0 where it keeps none of the figure). ${CONTROLLED_NULL}`,
    }),
    open: Type.Boolean({
      description:
        'The bucket contains asOf, the instant the series was read: it is still filling, so its value can grow. A gauge point is open until its end passes (its value is then null: no trust can have been sampled at an end still to come); once closed its value still grows as more trusts’ events pass the end (coverage says how many are in).',
      examples: [false],
    }),
  },
  {
    description: 'One bucket of the series.',
    examples: [
      {
        start: '2026-04-01T09:00:00.000Z',
        end: '2026-04-01T10:00:00.000Z',
        value: { child: 4, adult: 21, unknown: 0, total: 25 },
        coverage: { reported: 131, expected: 139 },
        open: false,
      },
    ],
  },
);
component('SeriesPoint', SeriesPointSchema);

const SERIES_EXAMPLE = {
  scope: { kind: 'england', name: 'England' },
  metric: 'ed_attendances',
  unit: 'count',
  family: 'ae',
  asOf: '2026-04-01T10:20:00.000Z',
  interval: '1h',
  from: '2026-04-01T09:00:00.000Z',
  to: '2026-04-01T12:00:00.000Z',
  points: [
    {
      start: '2026-04-01T09:00:00.000Z',
      end: '2026-04-01T10:00:00.000Z',
      value: { child: 410, adult: 1930, unknown: 12, total: 2352 },
      coverage: { reported: 138, expected: 139 },
      open: false,
    },
    {
      start: '2026-04-01T10:00:00.000Z',
      end: '2026-04-01T11:00:00.000Z',
      value: { child: 131, adult: 702, unknown: 3, total: 836 },
      coverage: { reported: 135, expected: 139 },
      open: true,
    },
    {
      start: '2026-04-01T11:00:00.000Z',
      end: '2026-04-01T12:00:00.000Z',
      value: null,
      coverage: { reported: 0, expected: 139 },
      open: false,
    },
  ],
};

export const SeriesSchema = Type.Object(
  {
    scope: ScopeInfoSchema,
    metric: Type.String({
      description: 'The figure listed: a counter, a derived figure or a gauge.',
      examples: ['ed_attendances'],
    }),
    unit: Type.Enum(['count', 'hours', 'percent', 'milliseconds'], {
      description:
        'The unit of every value: count (an integer), hours (rounded to 2 decimals unless exact=true), percent (0 to 100, rounded to 1 decimal unless exact=true: ga_occupancy_pct), or milliseconds (the deprecated ambulance_handover_ms_lost).',
      examples: ['count'],
    }),
    family: Type.Enum([...FIGURE_FAMILIES], {
      description: 'The family of figures the metric belongs to: whose reports `coverage` counts.',
      examples: ['ae'],
    }),
    asOf: Instant(
      'When the series was read: buckets after it are null, the one containing it open.',
    ),
    interval: Type.Enum([...INTERVALS], { description: 'Bucket size.', examples: ['1h'] }),
    from: Instant('Start of the first bucket.'),
    to: Instant('End of the last bucket.'),
    points: Type.Array(SeriesPointSchema, {
      description:
        'Consecutive buckets in time order: 0 where providers reported and nothing was counted, null where nothing is known.',
    }),
    ...disclosureProperties,
  },
  {
    description:
      'A time series of one figure: a counter per bucket, or a gauge at each bucket’s end.',
    examples: [SERIES_EXAMPLE],
  },
);
component('Series', SeriesSchema);

/** Most items in `scopes` and `metric` of one GET /v1/series (the point limit applies too). */
export const MAX_LIST_ITEMS = 50;

/**
 * GET /v1/series: several metrics of several organisations. Lists are comma-separated
 * (`metric=a,b`) or the parameter repeated (`metric=a&metric=b`, OpenAPI's default form style).
 */
export const SeriesListQuery = Type.Object(
  {
    scopes: Type.Array(Type.String({ pattern: SCOPE_REF_PATTERN }), {
      minItems: 1,
      maxItems: MAX_LIST_ITEMS,
      description:
        'Comma-separated organisations: `england`, `regions/{code}`, `icbs/{code}`, `trusts/{code}`, ' +
        'or every organisation of a lower level within one: `regions/Y62/icbs` (every ICB of the ' +
        'region), `icbs/QE1/trusts`, `england/regions`, `england/icbs`, `england/trusts`. Members ' +
        'are those in force on the range’s last London date; each organisation is listed once.',
      examples: [['regions/Y62/icbs']],
    }),
    metric: Type.Array(Metric('One metric.'), {
      minItems: 1,
      maxItems: MAX_LIST_ITEMS,
      description: `Comma-separated metrics, each ${METRIC_DESCRIPTION}`,
      examples: [['ed_attendances', 'ed_departures_within_4h']],
    }),
    ...rangeProperties,
  },
  { additionalProperties: false },
);
export type SeriesListQuery = Static<typeof SeriesListQuery>;
export type Series = Static<typeof SeriesSchema>;

export const SeriesListSchema = Type.Object(
  {
    asOf: Instant('When the series were read.'),
    interval: Type.Enum([...INTERVALS], { description: 'Bucket size.', examples: ['1h'] }),
    from: Instant('Start of the first bucket.'),
    to: Instant('End of the last bucket.'),
    series: Type.Array(SeriesSchema, {
      description:
        'One series per organisation × metric: organisations in the order asked, and for each the metrics in the order asked. Each states its own disclosure level.',
    }),
  },
  {
    description: 'Several series over the same buckets.',
    examples: [
      {
        asOf: SERIES_EXAMPLE.asOf,
        interval: SERIES_EXAMPLE.interval,
        from: SERIES_EXAMPLE.from,
        to: SERIES_EXAMPLE.to,
        series: [SERIES_EXAMPLE],
      },
    ],
  },
);
component('SeriesList', SeriesListSchema);
