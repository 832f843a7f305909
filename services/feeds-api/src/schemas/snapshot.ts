import { Type, type Static } from 'typebox';
import { Instant, IsoDate, INSTANT_PATTERN } from './common.js';
import {
  BedFiguresSchema,
  CounterFiguresSchema,
  GaugeFiguresSchema,
  PeriodRatesSchema,
} from './figures.js';
import { ScopeInfoSchema } from './scope.js';

export const SnapshotQuery = Type.Object(
  {
    asOf: Type.Optional(
      Type.String({
        pattern: INSTANT_PATTERN,
        description:
          'Read the figures as of this instant (RFC 3339 with offset); default now. Useful for replayed days.',
        examples: ['2026-04-01T12:00:00Z'],
      }),
    ),
  },
  { additionalProperties: false },
);

const Period = (description: string) =>
  Type.Object(
    {
      from: Instant('Start of the period (inclusive).'),
      to: Instant('End of the period (exclusive).'),
      counters: CounterFiguresSchema,
      rates: PeriodRatesSchema,
    },
    { description },
  );

export const SnapshotSchema = Type.Object(
  {
    scope: ScopeInfoSchema,
    asOf: Instant('The instant the figures were read as of.'),
    londonDate: IsoDate(
      'London calendar date of asOf: the day "today" and the structure refer to.',
    ),
    live: Type.Object(
      {
        gauges: GaugeFiguresSchema,
        beds: BedFiguresSchema,
        ga_occupancy_pct: Type.Union([Type.Number(), Type.Null()], {
          description: 'G&A occupancy, occupied / open × 100; null when no beds are open.',
          examples: [94.8],
        }),
      },
      { description: 'Live state as of asOf, summed over the trusts in scope on londonDate.' },
    ),
    today: Period(
      'The London day of asOf, from London midnight to the next: everything counted for that day so far.',
    ),
    lastHour: Period(
      'The four complete 15-minute buckets before asOf (a rolling hour, settled to the quarter hour).',
    ),
    freshness: Type.Object(
      {
        newestEventAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
          description: 'Newest event time applied for this scope; null if none yet.',
          examples: ['2026-04-01T11:59:41.000Z'],
        }),
        ageSeconds: Type.Union([Type.Number(), Type.Null()], {
          description: 'asOf minus newestEventAt, in seconds; null if no event yet.',
          examples: [19],
        }),
      },
      { description: 'How fresh the figures are.' },
    ),
    completeness: Type.Object(
      {
        reported: Type.Integer({
          description: 'Providers in scope whose newest event is within the hour before asOf.',
          examples: [11],
        }),
        expected: Type.Integer({
          description: 'Providers in scope on londonDate.',
          examples: [12],
        }),
        from: Instant('Start of the reporting window (asOf − 1 hour).'),
        to: Instant('End of the reporting window (asOf).'),
      },
      { description: 'How complete the figures are.' },
    ),
  },
  {
    description:
      'A snapshot: live gauges, today’s figures and the last hour’s, with freshness and completeness.',
  },
);
export type Snapshot = Static<typeof SnapshotSchema>;
