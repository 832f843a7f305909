// Schemas shared by several routes. Every schema carries a description and an example, which is
// what makes the generated OpenAPI document worth reading.
import { Type, type Static } from 'typebox';
import { PROBLEMS, problemType, type ProblemCode } from '../errors.js';
import { component } from './components.js';

export const ISO_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/** RFC 3339 date-time with an explicit offset (Z or ±hh:mm), or a calendar date. */
export const INSTANT_OR_DATE_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$';
export const INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

const count = (description: string, example: number) =>
  Type.Union([Type.Number(), Type.Null()], {
    description: `${description} Null where disclosure control suppressed it (see suppressed).`,
    examples: [example],
  });

export const Split = Type.Object(
  {
    child: count('Children (age 0-17).', 12),
    adult: count('Adults (18 and over).', 140),
    unknown: count('Age not known.', 3),
    total: count('child + adult + unknown.', 155),
  },
  {
    description: 'A figure split by age group.',
    examples: [{ child: 12, adult: 140, unknown: 3, total: 155 }],
  },
);
component('Split', Split);
export type Split = Static<typeof Split>;

const nullableNumber = (description: string, example: number) =>
  Type.Union([Type.Number(), Type.Null()], { description, examples: [example, null] });

export const RateSplit = Type.Object(
  {
    child: nullableNumber('Children; null when the denominator is 0 or suppressed.', 0.91),
    adult: nullableNumber('Adults; null when the denominator is 0 or suppressed.', 0.74),
    unknown: nullableNumber('Age unknown; null when the denominator is 0 or suppressed.', 0.8),
    total: nullableNumber('Everyone; null when the denominator is 0 or suppressed.', 0.76),
  },
  {
    description: 'A derived rate per age group.',
    examples: [{ child: 0.91, adult: 0.74, unknown: null, total: 0.76 }],
  },
);
component('RateSplit', RateSplit);
export type RateSplit = Static<typeof RateSplit>;

export const ExactQuery = Type.Boolean({
  description:
    'true: derived figures (percentages, hours) unrounded, as computed from the exact counts; default false: percentages to 1 decimal, hours to 2 (counts are always exact).',
  examples: [true],
});

export const IsoDate = (description: string) =>
  Type.String({ pattern: ISO_DATE_PATTERN, description, examples: ['2026-04-01'] });

export const Instant = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2026-04-01T09:30:00.000Z'] });

export const DateQuery = Type.Object(
  {
    date: Type.Optional(
      IsoDate(
        'London calendar date (YYYY-MM-DD) of the structure to list; default today in London.',
      ),
    ),
  },
  { additionalProperties: false },
);

export const ParameterErrorSchema = Type.Object(
  {
    in: Type.Enum(['path', 'query', 'header'], {
      description: 'Request part holding the parameter.',
      examples: ['query'],
    }),
    name: Type.String({ description: 'Parameter name.', examples: ['metric'] }),
    pointer: Type.String({
      description: 'JSON pointer to the parameter within that part.',
      examples: ['/metric'],
    }),
    detail: Type.String({
      description: 'What is wrong with it.',
      examples: ['must be one of the counter figures'],
    }),
  },
  {
    description: 'One invalid parameter.',
    examples: [{ in: 'query', name: 'metric', pointer: '/metric', detail: 'must be one of …' }],
  },
);
component('ParameterError', ParameterErrorSchema);

export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: 'URI identifying the problem type.',
      examples: [problemType('INVALID_PARAMETER')],
    }),
    title: Type.String({
      description: 'Short summary of the problem type.',
      examples: [PROBLEMS.INVALID_PARAMETER.title],
    }),
    status: Type.Integer({ description: 'HTTP status code.', examples: [400] }),
    detail: Type.String({
      description: 'What went wrong with this request.',
      examples: ["query parameter 'interval' must be one of 15m, 1h, 1d"],
    }),
    instance: Type.String({
      description: 'The request path and query that failed.',
      examples: ['/v1/england/series?interval=2h'],
    }),
    code: Type.String({ description: 'Stable error code.', examples: ['INVALID_PARAMETER'] }),
    errors: Type.Optional(
      Type.Array(ParameterErrorSchema, { description: 'The invalid parameters, for a 400.' }),
    ),
  },
  {
    description: 'An RFC 9457 problem details document (application/problem+json).',
    examples: [
      {
        type: problemType('INVALID_PARAMETER'),
        title: PROBLEMS.INVALID_PARAMETER.title,
        status: 400,
        detail: "query parameter 'interval' must be one of 15m, 1h, 1d",
        instance: '/v1/england/series?interval=2h',
        code: 'INVALID_PARAMETER',
        errors: [
          {
            in: 'query',
            name: 'interval',
            pointer: '/interval',
            detail: 'must be one of 15m, 1h, 1d',
          },
        ],
      },
    ],
  },
);
component('Problem', ProblemSchema);

/** The problem responses a route can give, by status, for its `response` schema. */
export function problemResponses(...codes: ProblemCode[]) {
  const titles = new Map<number, string[]>();
  for (const code of codes) {
    const { status, title } = PROBLEMS[code];
    titles.set(status, [...(titles.get(status) ?? []), title]);
  }
  return Object.fromEntries(
    [...titles].map(([status, list]) => [
      status,
      {
        description: `${list.join('; ')} (RFC 9457 problem details).`,
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  );
}
