// GET /v1/{england|regions/{code}|icbs/{code}|trusts/{code}}/series
import type { FastifyPluginAsync } from 'fastify';
import { FIGURE_FAMILY } from '@pulse/kpi';
import { resolveMetric } from '../metrics.js';
import { expectedCounter, honestPoints } from '../honest-series.js';
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
          `At most ${maxPoints} points per request. Each point carries its coverage (providers of ` +
          'the scope that reported the figure’s family in the bucket, out of those expected to) and ' +
          'whether it is still open; its value is null in the future and where no provider reported ' +
          '(so also before the retention of its size: 15m 35 days, 1h 400 days).',
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
        const metric = resolveMetric(query.metric);
        const exact = query.exact ?? false;
        const family = FIGURE_FAMILY[metric.figure];
        if (reply.disclose(scope, first, last) === 'controlled')
          return publicTier.series(scope, info, metric, interval, from, to);
        const asOf = now();
        const stored = await figures.counterSeries(scope, metric.figure, interval, from, to);
        const points = honestPoints(stored, asOf, expectedCounter(refdata, scope, family));
        return {
          scope: info,
          metric: metric.name,
          unit: metric.unit,
          family,
          asOf: iso(asOf),
          interval,
          from: iso(points[0]?.bucket.start ?? from),
          to: iso(points.at(-1)?.bucket.end ?? to),
          points: points.map((p) => ({
            start: iso(p.bucket.start),
            end: iso(p.bucket.end),
            value: p.value === null ? null : metric.convert(p.value, exact),
            coverage: p.coverage,
            open: p.open,
          })),
          disclosure: 'exact',
        };
      },
    });
  }
};

export default series;
