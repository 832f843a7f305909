import { COUNTER_FIGURES, DEPRECATED_COUNTER_ALIASES } from '@pulse/kpi';
import { Type, type Static } from 'typebox';
import { Instant, INSTANT_OR_DATE_PATTERN, Split } from './common.js';
import { disclosureProperties } from './disclosure.js';
import { ScopeInfoSchema } from './scope.js';

export const INTERVALS = ['15m', '1h', '1d'] as const;

const instantOrDate = (description: string, example: string) =>
  Type.String({ pattern: INSTANT_OR_DATE_PATTERN, description, examples: [example] });

export const SeriesQuery = Type.Object(
  {
    metric: Type.Enum([...COUNTER_FIGURES, ...Object.keys(DEPRECATED_COUNTER_ALIASES)], {
      description:
        'The counter figure to list (see the snapshot’s `counters` for what each counts). `rtt_clock_starts` is a deprecated name of `rtt_clock_starts_recorded`, answered under the new name.',
      examples: ['ed_attendances'],
    }),
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
  },
  { additionalProperties: false },
);
export type SeriesQuery = Static<typeof SeriesQuery>;

export const SeriesPointSchema = Type.Object(
  {
    start: Instant('Bucket start (inclusive).'),
    end: Instant('Bucket end (exclusive).'),
    value: Split,
  },
  {
    description: 'One bucket of the series.',
    examples: [
      {
        start: '2026-04-01T09:00:00.000Z',
        end: '2026-04-01T10:00:00.000Z',
        value: { child: 4, adult: 21, unknown: 0, total: 25 },
      },
    ],
  },
);

export const SeriesSchema = Type.Object(
  {
    scope: ScopeInfoSchema,
    metric: Type.String({
      description: 'The counter figure listed.',
      examples: ['ed_attendances'],
    }),
    interval: Type.Enum([...INTERVALS], { description: 'Bucket size.', examples: ['1h'] }),
    from: Instant('Start of the first bucket.'),
    to: Instant('End of the last bucket.'),
    points: Type.Array(SeriesPointSchema, {
      description: 'Consecutive buckets in time order; zeros where nothing was counted.',
    }),
    ...disclosureProperties,
  },
  {
    description: 'A time series of one counter figure.',
    examples: [
      {
        scope: { kind: 'england', name: 'England' },
        metric: 'ed_attendances',
        interval: '1h',
        from: '2026-04-01T09:00:00.000Z',
        to: '2026-04-01T11:00:00.000Z',
        points: [
          {
            start: '2026-04-01T09:00:00.000Z',
            end: '2026-04-01T10:00:00.000Z',
            value: { child: 410, adult: 1930, unknown: 12, total: 2352 },
          },
          {
            start: '2026-04-01T10:00:00.000Z',
            end: '2026-04-01T11:00:00.000Z',
            value: { child: 388, adult: 2011, unknown: 9, total: 2408 },
          },
        ],
      },
    ],
  },
);
