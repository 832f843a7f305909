import { Type, type Static } from 'typebox';
import { Instant, IsoDate, INSTANT_PATTERN } from './common.js';
import { disclosureProperties } from './disclosure.js';
import {
  BedFiguresSchema,
  CounterFiguresSchema,
  GaugeFiguresSchema,
  PeriodRatesSchema,
  withUnit,
} from './figures.js';
import { ScopeInfoSchema } from './scope.js';
import { ExactQuery } from './common.js';
import { CONTROLLED_NULL, FamilyCompletenessSchema } from './coverage.js';
import { FormatQuery } from '../formats.js';
import { component } from './components.js';

export const SnapshotQuery = Type.Object(
  {
    asOf: Type.Optional(
      Type.String({
        pattern: INSTANT_PATTERN,
        description:
          'The instant (RFC 3339 with offset) that picks the London day ("today") and the structure ' +
          'in force, the last hour’s buckets, the completeness window, and the thresholds of the ' +
          'over-12h / 18-week / 52-week / 65-week gauges; default now. It does not rewind the data: ' +
          'every figure is read as it stands now (the live gauges are the current open sets, ' +
          '"today" is that day as counted so far, freshness is the newest event applied), so a ' +
          'past asOf is not the snapshot that was served then. Useful for replayed days.',
        examples: ['2026-04-01T12:00:00Z'],
      }),
    ),
    exact: Type.Optional(ExactQuery),
    format: Type.Optional(FormatQuery),
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
    asOf: Instant(
      'The instant that picks the day, the last hour and the gauge thresholds (see the asOf parameter); the data itself is read now.',
    ),
    londonDate: IsoDate(
      'London calendar date of asOf: the day "today" and the structure refer to.',
    ),
    live: Type.Object(
      {
        gauges: GaugeFiguresSchema,
        beds: BedFiguresSchema,
        ga_occupancy_pct: Type.Union(
          [Type.Number(), Type.Null()],
          withUnit(
            { examples: [94.8] },
            'percent',
            'G&A occupancy, occupied / open × 100 (of the published, so under control the rounded, beds); null when no beds are open or the beds are suppressed.',
          ),
        ),
      },
      {
        description:
          'Live state as it stands now (the current open sets, the newest bed snapshot), summed over ' +
          'the trusts in scope on londonDate. asOf moves only the thresholds of the over-12h, ' +
          'over-18-week, over-52-week and over-65-week gauges (open items that started before ' +
          'asOf minus the threshold).',
      },
    ),
    today: Period(
      'The London day of asOf, from London midnight to the next: everything counted for that day so far (for a past asOf, the day as counted now, not as it stood at asOf).',
    ),
    lastHour: Period(
      'The four complete 15-minute buckets before asOf (a rolling hour, settled to the quarter hour), as counted now.',
    ),
    freshness: Type.Object(
      {
        newestEventAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
          description:
            'Newest event time applied for this scope now (not as of asOf, so it may be later than a past asOf); null if none yet, and on the public tier below national level (it would date single events and say a last hour was empty).',
          examples: ['2026-04-01T11:59:41.000Z'],
        }),
        ageSeconds: Type.Union([Type.Number(), Type.Null()], {
          description:
            'asOf minus newestEventAt, in seconds (negative when an event after a past asOf has been applied); null when newestEventAt is.',
          examples: [19],
        }),
      },
      { description: 'How fresh the figures are.' },
    ),
    completeness: Type.Object(
      {
        from: Instant(
          'Start of the reporting window: the start of lastHour, so the window covers lastHour’s buckets (and the open quarter after them).',
        ),
        to: Instant('End of the reporting window (asOf).'),
        families: Type.Union([FamilyCompletenessSchema, Type.Null()], {
          description: `Per figure family. ${CONTROLLED_NULL}`,
        }),
        reported: Type.Union([Type.Integer(), Type.Null()], {
          description: `Deprecated (use \`families\`): providers in scope whose newest event of any kind applied (now) is at or after \`from\`. ${CONTROLLED_NULL}`,
          deprecated: true,
          examples: [11],
        }),
        expected: Type.Union([Type.Integer(), Type.Null()], {
          description: `Deprecated (use \`families\`): every provider in scope on londonDate, including those never expected to send a given figure (ambulance, mental health and community trusts for A&E). ${CONTROLLED_NULL}`,
          deprecated: true,
          examples: [12],
        }),
      },
      {
        description:
          'How complete the figures are: per figure family, the providers expected to report it (their kind, @pulse/refdata) that have sent an event of it at or after `from`.',
      },
    ),
    ...disclosureProperties,
  },
  {
    description:
      'A snapshot: live gauges, today’s figures and the last hour’s, with freshness and completeness.',
  },
);
component('Snapshot', SnapshotSchema);
export type Snapshot = Static<typeof SnapshotSchema>;
