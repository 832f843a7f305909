// GET /v1/{england|regions/{code}|icbs/{code}|trusts/{code}}/series: one metric of one scope.
// GET /v1/series: several metrics of several scopes over the same buckets. Both as JSON or CSV.
import type { FastifyPluginAsync } from 'fastify';
import type { BucketSize, Scope, Split } from '@pulse/kpi';
import { seriesRows, type CsvSeries } from '../csv.js';
import { ApiError } from '../errors.js';
import { csvFileName, formatOf, jsonOrCsv, negotiate, sendJsonText } from '../formats.js';
import { resolveMetric, storedBeds, storedSeries } from '../metrics.js';
import { expectedFor, honestPoints, type StoredPoint } from '../honest-series.js';
import { problemResponses } from '../schemas/common.js';
import { SCOPE_ROUTES, scopeParams } from '../schemas/scope.js';
import { SeriesListQuery, SeriesListSchema, SeriesQuery, SeriesSchema } from '../schemas/series.js';
import {
  checkRetention,
  checkSeriesRange,
  londonDatesOf,
  pointCount,
  seriesHeader,
} from '../series.js';
import { resolveScopeList } from '../scope-list.js';
import { scopeBetween, type ScopeInfo } from '../scopes.js';
import { instantParam, iso } from '../time.js';
import type { Disclosure } from '../auth/access.js';

export interface SeriesOptions {
  /** Most points one request may ask for (default 2,000: three weeks of 15-minute buckets). */
  maxPoints?: number;
}

/** A checked range: its bounds, interval and London dates. */
interface Range {
  interval: BucketSize;
  from: number;
  to: number;
  first: string;
  last: string;
}

const PROBLEMS = problemResponses(
  'INVALID_PARAMETER',
  'INVALID_RANGE',
  'TOO_MANY_POINTS',
  'UNKNOWN_ORGANISATION',
  'NOT_IN_FORCE',
);

/** `a,b` and repeated parameters alike: a list, before the schema checks it. */
function splitLists(query: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) {
    const value = query[key];
    if (value !== undefined) query[key] = [value].flat().flatMap((v) => String(v).split(','));
  }
}

const series: FastifyPluginAsync<SeriesOptions> = async (app, options) => {
  const maxPoints = options.maxPoints ?? 2_000;
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  }
  const { figures, refdata, now, publicTier } = app.pulse;

  const publicSeries =
    'Without a token that sees the organisation exactly (the public tier), a series below ' +
    'national level is disclosure-controlled together with every other organisation’s over the ' +
    `same buckets, and has at most ${publicTier.maxSeriesPoints} points.`;

  const rangeOf = (query: { from: string; to: string; interval?: BucketSize }): Range => {
    const interval = query.interval ?? '1h';
    const from = instantParam(query.from, 'from');
    const to = instantParam(query.to, 'to');
    checkSeriesRange(interval, from, to, maxPoints);
    checkRetention(interval, to, now());
    const [first, last] = londonDatesOf(from, to);
    return { interval, from, to, first, last };
  };

  /**
   * One metric of one scope at the caller's level: honest points in the metric's unit, exact, or
   * the public tier's from its controlled tree of every scope (src/public-tier.ts).
   */
  const readSeries = async (
    scope: Scope,
    info: ScopeInfo,
    name: string,
    range: Range,
    exact: boolean,
    asOf: number,
    level: Disclosure,
  ) => {
    const metric = resolveMetric(name);
    if (level === 'controlled')
      return (await publicTier.series(scope, info, metric, range.interval, range.from, range.to))
        .body;
    const { interval, from, to } = range;
    const expected = expectedFor(refdata, scope, metric);
    const body = <V>(
      stored: readonly StoredPoint<V>[],
      present: (value: V) => Split | number | null,
    ) => {
      const points = honestPoints(stored, asOf, expected);
      return {
        ...seriesHeader(info, metric, asOf, interval, {
          first: points[0]?.bucket.start,
          last: points.at(-1)?.bucket.end,
          from,
          to,
        }),
        points: points.map((p) => ({
          start: iso(p.bucket.start),
          end: iso(p.bucket.end),
          value: p.value === null ? null : present(p.value),
          coverage: p.coverage,
          open: p.open,
        })),
        disclosure: 'exact',
      };
    };
    if (metric.kind === 'beds') {
      const stored = await storedBeds(figures, scope, interval, from, to);
      return body(stored, (beds) => metric.value(beds, exact));
    }
    const stored = await storedSeries(figures, metric, scope, interval, from, to);
    return body(stored, (split) => metric.convert(split, exact));
  };

  for (const route of SCOPE_ROUTES) {
    app.get(`${route.prefix}/series`, {
      config: { cacheControl: 'no-cache' },
      schema: {
        tags: ['series'],
        operationId: `${route.kind}Series`,
        summary: `Time series of a figure for ${route.label}`,
        description:
          `One figure of ${route.label} per bucket over [from, to), split by age group: a counter ` +
          'counted in the bucket, or a gauge (e.g. ed_in_department) at the bucket’s end; or a G&A ' +
          'beds figure with no age split (ga_beds_open, ga_beds_occupied, ga_occupancy_pct: one ' +
          'number per point) at the bucket’s end, at 1d at 08:00 Europe/London (the sitrep’s ' +
          'reading time). ' +
          `At most ${maxPoints} points per request. Each point carries its coverage (providers of ` +
          'the scope that reported the figure’s family in the bucket, out of those expected to) and ' +
          'whether it is still open; its value is null in the future and where no provider reported ' +
          '(so also before the retention of its size: 15m 35 days, 1h 400 days). ' +
          'As text/csv (Accept, or format=csv): one row per bucket. ' +
          publicSeries,
        ...scopeParams(route),
        querystring: SeriesQuery,
        response: { 200: jsonOrCsv(SeriesSchema, 'The series, as JSON or CSV.'), ...PROBLEMS },
      },
      handler: async (request, reply) => {
        const { code = '' } = request.params as { code?: string };
        const query = request.query as SeriesQuery;
        const range = rangeOf(query);
        const { scope, info } = scopeBetween(refdata, route.kind, code, range.first, range.last);
        const level = reply.disclose(scope, range.first, range.last);
        const format = formatOf(request, query.format);
        if (level === 'controlled' && format === 'json') {
          // The tree's JSON text as it is (src/public-tier.ts, ControlledBody).
          const { interval, from, to } = range;
          const metric = resolveMetric(query.metric);
          const controlled = await publicTier.series(scope, info, metric, interval, from, to);
          reply.header('vary', 'Accept');
          return sendJsonText(reply, controlled.json);
        }
        const body = await readSeries(
          scope,
          info,
          query.metric,
          range,
          query.exact ?? false,
          now(),
          level,
        );
        const name = csvFileName(
          info.kind,
          info.code,
          body.metric,
          range.interval,
          body.from,
          body.to,
        );
        negotiate(reply, format, name, (b: CsvSeries) => seriesRows([b]));
        return body;
      },
    });
  }

  app.get('/series', {
    config: { cacheControl: 'no-cache' },
    preValidation: async (request) => {
      splitLists(request.query as Record<string, unknown>, ['scopes', 'metric']);
    },
    schema: {
      tags: ['series'],
      operationId: 'seriesList',
      summary: 'Time series of several metrics for several organisations',
      description:
        'Every metric of every organisation asked for, over the same buckets of [from, to): one ' +
        'series each, as the single-organisation series routes give them (coverage, open, null). ' +
        `At most ${maxPoints} points in all (points per series × organisations × metrics). ` +
        'As text/csv (Accept, or format=csv): one row per organisation × metric × bucket, the ' +
        'tidy form for a spreadsheet or a data frame. Each series has its own disclosure level. ' +
        publicSeries,
      querystring: SeriesListQuery,
      response: { 200: jsonOrCsv(SeriesListSchema, 'The series, as JSON or CSV.'), ...PROBLEMS },
    },
    handler: async (request, reply) => {
      const query = request.query as SeriesListQuery;
      const range = rangeOf(query);
      const scopes = resolveScopeList(refdata, query.scopes, range.first, range.last);
      const metrics = [...new Set(query.metric.map((m) => resolveMetric(m).name))];
      const perSeries = pointCount(range.interval, range.from, range.to, maxPoints);
      const total = perSeries * scopes.length * metrics.length;
      if (total > maxPoints) {
        throw new ApiError(
          'TOO_MANY_POINTS',
          `${scopes.length} organisations × ${metrics.length} metrics × ${perSeries} ${range.interval} ` +
            `points is ${total} points; at most ${maxPoints} are served per request. Ask for fewer ` +
            'organisations or metrics, narrow the range or use a larger interval.',
          {
            errors: [
              { in: 'query', name: 'scopes', pointer: '/scopes', detail: `${total} points` },
            ],
          },
        );
      }
      const asOf = now();
      const exact = query.exact ?? false;
      // One series at a time: each read is bounded on its own (work-limits.ts), and the event
      // loop is free between them.
      const levels = reply.discloseEach(
        scopes.map((s) => s.scope),
        range.first,
        range.last,
      );
      const list = [];
      for (const [i, { scope, info }] of scopes.entries()) {
        for (const metric of metrics)
          list.push(await readSeries(scope, info, metric, range, exact, asOf, levels[i]!));
      }
      const from = list[0]?.from ?? iso(range.from);
      const to = list[0]?.to ?? iso(range.to);
      const name = csvFileName('series', range.interval, from, to);
      negotiate(reply, formatOf(request, query.format), name, (b: { series: CsvSeries[] }) =>
        seriesRows(b.series),
      );
      return { asOf: iso(asOf), interval: range.interval, from, to, series: list };
    },
  });
};

export default series;
