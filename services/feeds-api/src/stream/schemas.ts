// OpenAPI schemas of the push feed and the changes route: the query parameters, every stream
// event (name, id, data) and the changes page.
import { Type } from 'typebox';
import { Instant } from '../schemas/common.js';
import { CounterFiguresSchema, GaugeFiguresSchema, PeriodRatesSchema } from '../schemas/figures.js';
import { BedFiguresSchema } from '../schemas/figures.js';
import { SnapshotSchema } from '../schemas/snapshot.js';
import { STREAM_FIGURES } from './figures-filter.js';

export const CURSOR_EXAMPLE = 'c1.mf3k2a1-0-2s.mf3k29z-0-2r';
/** A public (disclosure-controlled) stream's cursor: the tick and the ETag of the body sent. */
export const PUBLIC_CURSOR_EXAMPLE = 'tick:29413570:Zk3m1Xb0q9Rj2sVt7LwYc4eHgAa';

const Cursor = (description: string) =>
  Type.String({ maxLength: 2048, description, examples: [CURSOR_EXAMPLE, PUBLIC_CURSOR_EXAMPLE] });

export const StreamQuery = Type.Object(
  {
    figures: Type.Optional(
      Type.String({
        description:
          'Comma list of the figures to send (counter, gauge, bed and derived names, e.g. ' +
          '`ed_in_department,ed_attendances,ga_occupancy_pct`); default all. The other fields of ' +
          `a snapshot are always sent. Known figures: ${STREAM_FIGURES.join(', ')}.`,
        examples: ['ed_in_department,ed_attendances'],
      }),
    ),
    since: Type.Optional(
      Cursor(
        'Resume after this cursor (an event id of this feed from any replica), as the ' +
          'Last-Event-ID header does; the header wins when both are sent. A public ' +
          '(disclosure-controlled) stream’s cursor is `tick:<tick>:<etag>`.',
      ),
    ),
  },
  { additionalProperties: false },
);

const { today, lastHour, live, ...rest } = SnapshotSchema.properties;
const narrowPeriod = (period: typeof today) =>
  Type.Object(
    {
      ...period.properties,
      counters: Type.Partial(CounterFiguresSchema),
      rates: Type.Partial(PeriodRatesSchema),
    },
    { description: (period as { description?: string }).description },
  );
const figureFields = {
  ...rest,
  live: Type.Object(
    {
      gauges: Type.Partial(GaugeFiguresSchema),
      beds: Type.Partial(BedFiguresSchema),
      ga_occupancy_pct: Type.Optional(live.properties.ga_occupancy_pct),
    },
    { description: (live as { description?: string }).description },
  ),
  today: narrowPeriod(today),
  lastHour: narrowPeriod(lastHour),
};

export const SnapshotEventData = Type.Object(
  {
    ...figureFields,
    cursor: Cursor(
      'The cursor this snapshot reflects; equal to the event id. Exact: the change-log cursor ' +
        '(every change up to it). Disclosure-controlled: `tick:<tick>:<etag>`, the public tier’s ' +
        'tree and the ETag of the body.',
    ),
  },
  {
    description:
      'The snapshot route’s body (its figure objects narrowed to `figures=` when given) and the ' +
      'cursor it reflects. On the public stream below national level, the public snapshot ' +
      'route’s disclosure-controlled body.',
  },
);

export const UpdateEventData = Type.Object(
  {
    ...figureFields,
    cursor: Cursor('The cursor after the changes listed; equal to the event id.'),
    changes: Type.Array(Type.String({ pattern: '^\\d+:\\d+-\\d+$' }), {
      description:
        'The change-log entries of this scope the update accounts for (`<partition>:<entry id>`), ' +
        'each exactly once over a connection and its resumes: after the previous event up to `cursor`.',
      examples: [['3:1764633600123-0', '7:1764633600456-0']],
    }),
    appliedAt: Type.Object(
      {
        oldest: Instant('When the oldest change listed was applied in Redis.'),
        newest: Instant('When the newest change listed was applied in Redis.'),
      },
      { description: 'Apply times of the changes listed.' },
    ),
    newestEmittedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'The newest emittedAt of the events those changes applied (null if unknown).',
    }),
  },
  {
    description:
      'The scope’s figures now (same fields as the snapshot), sent when changes of the scope were ' +
      'applied: at most one per coalescing interval per scope (STREAM_COALESCE_MS, default 1 s).',
  },
);

export const ControlledUpdateEventData = Type.Object(
  {
    ...figureFields,
    disclosure: Type.Literal('controlled', {
      description: 'The body is the public tier’s disclosure-controlled one.',
    }),
    cursor: Cursor(
      '`tick:<tick>:<etag>`: the public tier’s tree this body is of and its ETag; equal to the ' +
        'event id.',
    ),
  },
  {
    description:
      'The public (disclosure-controlled) stream of a region, ICB or trust: the scope’s new ' +
      'controlled body (the public snapshot route’s), sent when a newer tree of the public tier ' +
      '(at most one per PUBLIC_TICK_MS) has a body of the scope with another ETag. It lists no ' +
      'changes and says nothing of when they were applied: its timing follows the tick. There is ' +
      'no history of controlled bodies: a resume gets one update with the current body if it ' +
      'differs from the cursor’s.',
  },
);

export const HeartbeatEventData = Type.Object(
  {
    head: Type.Union([
      Cursor(
        'This server’s position in the change log (null while it has none: before its first ' +
          'read, or just after losing its place); on a ' +
          'public (disclosure-controlled) stream, the cursor of the scope’s newest body here ' +
          '(null before the first).',
      ),
      Type.Null(),
    ]),
    at: Instant('When the heartbeat was sent.'),
  },
  {
    description:
      'Sent every STREAM_HEARTBEAT_MS (default 15 s). On an exact stream it carries an id (= head) ' +
      'when nothing of the scope is waiting to be sent, so a quiet subscriber’s cursor stays ' +
      'within retention; never to a subscriber still waiting for its first event, nor on a public ' +
      'stream.',
  },
);

export const ResetEventData = Type.Object(
  {
    reason: Type.Enum(['cursor-expired', 'cursor-malformed', 'feed-interrupted'], {
      description:
        '`cursor-expired`: the log no longer holds every change after the cursor; ' +
        '`cursor-malformed`: not a cursor of this feed (on a public stream: not a public ' +
        'cursor, e.g. a change-log cursor); `feed-interrupted`: this server lost its ' +
        'place in the change log (or could not read it).',
    }),
    detail: Type.String({ description: 'A readable explanation.' }),
  },
  { description: 'The resume could not be served exactly; a fresh `snapshot` follows. No id.' },
);

export const DisconnectEventData = Type.Object(
  {
    reason: Type.Enum(['slow-consumer', 'max-lifetime', 'shutdown'], {
      description:
        '`slow-consumer`: more than STREAM_MAX_BUFFER_BYTES were waiting to be sent; ' +
        '`max-lifetime`: the connection reached its lifetime (STREAM_MAX_LIFETIME_MS less up to ' +
        '10 %, spread so that connections opened together do not all end together); `shutdown`: ' +
        'the server is stopping.',
    }),
    detail: Type.String({ description: 'A readable explanation.' }),
  },
  {
    description:
      'The server ends the stream after this event; reconnect with Last-Event-ID to resume exactly.',
  },
);

const event = (name: string, data: object, id: 'always' | 'sometimes' | 'never') =>
  Type.Object(
    {
      event: Type.Literal(name),
      ...(id === 'never'
        ? {}
        : {
            id: (id === 'always' ? (x: object) => x : Type.Optional)(
              Cursor('The SSE `id:` field: the cursor to resume from (Last-Event-ID).'),
            ),
          }),
      data,
    },
    { description: `\`event: ${name}\`` },
  );

export const StreamEventSchema = Type.Union(
  [
    event('snapshot', SnapshotEventData, 'always'),
    event(
      'update',
      Type.Union([UpdateEventData, ControlledUpdateEventData], {
        description:
          'Exact streams send the figures and the changes they account for; public ' +
          '(disclosure-controlled) streams below national level the new controlled body.',
      }),
      'always',
    ),
    event('heartbeat', HeartbeatEventData, 'sometimes'),
    event('reset', ResetEventData, 'never'),
    event('disconnect', DisconnectEventData, 'never'),
  ],
  {
    description:
      'A `text/event-stream` of server-sent events, each with an `event:` name, one `data:` line ' +
      'of JSON and, when it moves the cursor, an `id:`; the stream starts with a `retry:` hint. ' +
      'Each event is described here as {event, id, data}.',
    examples: [
      {
        event: 'heartbeat',
        id: CURSOR_EXAMPLE,
        data: { head: CURSOR_EXAMPLE, at: '2026-12-02T09:30:15.000Z' },
      },
      { event: 'reset', data: { reason: 'cursor-expired', detail: 'change-log cursor expired' } },
    ],
  },
);

export const ChangesQuery = Type.Object(
  {
    since: Type.Optional(
      Cursor(
        'Changes after this cursor (a stream event id, or a previous page’s nextCursor); ' +
          'without it the page is empty and nextCursor is the head of the log.',
      ),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        default: 100,
        description: 'Most changes per page (default 100).',
        examples: [100],
      }),
    ),
  },
  { additionalProperties: false },
);

export const ChangesPageSchema = Type.Object(
  {
    changes: Type.Array(
      Type.Object(
        {
          id: Type.String({
            description: '`<partition>:<entry id>`, as stream updates list it.',
            examples: ['3:1764633600123-0'],
          }),
          cursor: Cursor('Resumes right after this change.'),
          appliedAt: Instant('When Redis applied it.'),
          newestEmittedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
            description: 'The newest emittedAt of the events it applied.',
          }),
          buckets: Type.Array(Type.String(), {
            description:
              'Buckets of this scope whose figures or coverage it changed (a first report of a family in a bucket changes its coverage even when no counter moves): `15m:<epoch ms>`, `1h:<epoch ms>`, `1d:<London date>`.',
            examples: [['15m:1764633600000', '1h:1764633600000', '1d:2026-12-02']],
          }),
          gauges: Type.Boolean({ description: 'Whether it may have changed the live gauges.' }),
        },
        { description: 'One change of the scope.' },
      ),
      { description: 'Changes of the scope after `since`, oldest first.' },
    ),
    nextCursor: Cursor('Ask again with since = this for the next page.'),
    more: Type.Boolean({
      description: 'True when more changes may follow at once (the page is full or was cut short).',
    }),
  },
  {
    description:
      'A page of the change log for one scope (pull form of the push feed): which buckets and ' +
      'gauges changed, for consumers that poll or were offline.',
    examples: [
      {
        changes: [
          {
            id: '3:1764667815123-0',
            cursor: CURSOR_EXAMPLE,
            appliedAt: '2026-12-02T09:30:15.123Z',
            newestEmittedAt: '2026-12-02T09:30:14.870Z',
            buckets: ['15m:1764667800000', '1h:1764666000000', '1d:2026-12-02'],
            gauges: true,
          },
        ],
        nextCursor: CURSOR_EXAMPLE,
        more: false,
      },
    ],
  },
);
