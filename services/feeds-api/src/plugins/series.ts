// GET /v1/{england|regions/{code}|icbs/{code}|trusts/{code}}/series
import type { FastifyPluginAsync } from 'fastify';
import { DEPRECATED_COUNTER_ALIASES } from '@pulse/kpi';
import type { CounterFigure, DeprecatedCounterAlias } from '@pulse/kpi';
import { problemResponses } from '../schemas/common.js';
import { SCOPE_ROUTES, scopeParams } from '../schemas/scope.js';
import { SeriesQuery, SeriesSchema } from '../schemas/series.js';
import { checkRetention, checkSeriesRange, londonDatesOf } from '../series.js';
import { scopeBetween } from '../scopes.js';
import { instantParam, iso } from '../time.js';

export interface SeriesOptions {
  /** Most points one request may ask for (default 2,000: three weeks of 15-minute buckets). */
  maxPoints?: number;
}

const series: FastifyPluginAsync<SeriesOptions> = async (app, options) => {
  const maxPoints = options.maxPoints ?? 2_000;
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  }
  const { figures, refdata, now, publicTier } = app.pulse;

  for (const route of SCOPE_ROUTES) {
    app.get(`${route.prefix}/series`, {
      config: { cacheControl: 'no-cache' },
      schema: {
        tags: ['series'],
        operationId: `${route.kind}Series`,
        summary: `Time series of a counter for ${route.label}`,
        description:
          `One counter figure of ${route.label} per bucket over [from, to), split by age group. ` +
          `At most ${maxPoints} points per request. Buckets before the retention of their size ` +
          '(15m: 35 days, 1h: 400 days) read as zero.',
        ...scopeParams(route),
        querystring: SeriesQuery,
        response: {
          200: SeriesSchema,
          ...problemResponses(
            'INVALID_PARAMETER',
            'INVALID_RANGE',
            'TOO_MANY_POINTS',
            'UNKNOWN_ORGANISATION',
            'NOT_IN_FORCE',
          ),
        },
      },
      handler: async (request, reply) => {
        const { code = '' } = request.params as { code?: string };
        const query = request.query as SeriesQuery;
        const interval = query.interval ?? '1h';
        const from = instantParam(query.from, 'from');
        const to = instantParam(query.to, 'to');
        checkSeriesRange(interval, from, to, maxPoints);
        checkRetention(interval, to, now());
        const [first, last] = londonDatesOf(from, to);
        const { scope, info } = scopeBetween(refdata, route.kind, code, first, last);
        const metric =
          DEPRECATED_COUNTER_ALIASES[query.metric as DeprecatedCounterAlias] ??
          (query.metric as CounterFigure);
        if (reply.disclose(scope, first, last) === 'controlled')
          return publicTier.series(scope, info, metric, interval, from, to);
        const points = await figures.counterSeries(scope, metric, interval, from, to);
        return {
          scope: info,
          metric,
          interval,
          from: iso(points[0]?.bucket.start ?? from),
          to: iso(points.at(-1)?.bucket.end ?? to),
          points: points.map((p) => ({
            start: iso(p.bucket.start),
            end: iso(p.bucket.end),
            value: p.value,
          })),
          disclosure: 'exact',
        };
      },
    });
  }
};

export default series;
