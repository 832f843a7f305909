// GET /v1/{england|regions/{code}|icbs/{code}|trusts/{code}}/snapshot
import type { FastifyPluginAsync } from 'fastify';
import { londonDateOf } from '@pulse/kpi';
import { problemResponses } from '../schemas/common.js';
import { SCOPE_ROUTES, scopeParams } from '../schemas/scope.js';
import { SnapshotQuery, SnapshotSchema, type Snapshot } from '../schemas/snapshot.js';
import { etagMatches, snapshotEtag } from '../etag.js';
import { readSnapshot } from '../snapshot.js';
import { createSnapshotCache, type CachedSnapshot } from '../snapshot-cache.js';
import { scopeOn } from '../scopes.js';
import { SNAPSHOT_EXAMPLE } from './examples.js';
import { bodyEtag } from './http-cache.js';
import { snapshotRows } from '../csv.js';
import {
  csvFileName,
  formatOf,
  jsonOrCsv,
  negotiate,
  sendJsonText,
  type Format,
} from '../formats.js';
import { asOfParam, iso } from '../time.js';

export interface SnapshotsOptions {
  /** Cache-Control of a snapshot; revalidation with the ETag is cheap. */
  cacheControl?: string;
  /** How long a "now" snapshot of a scope is reused, in ms (default 0: read every time). */
  cacheMs?: number;
}

const snapshots: FastifyPluginAsync<SnapshotsOptions> = async (app, options) => {
  const cacheControl = options.cacheControl ?? 'no-cache';
  if (typeof cacheControl !== 'string') throw new TypeError('cacheControl must be a string');
  const cacheMs = options.cacheMs ?? 0;
  if (!Number.isInteger(cacheMs) || cacheMs < 0)
    throw new TypeError('cacheMs must be an integer >= 0');
  const { figures, refdata, now, publicTier } = app.pulse;
  const cache = createSnapshotCache(cacheMs, now);

  for (const route of SCOPE_ROUTES) {
    app.get(`${route.prefix}/snapshot`, {
      config: { cacheControl },
      schema: {
        tags: ['snapshots'],
        operationId: `${route.kind}Snapshot`,
        summary: `Live snapshot of ${route.label}`,
        description:
          `Live gauges, today's London-day figures and the last hour's for ${route.label}, every figure split ` +
          'child / adult / unknown / total, with derived rates, freshness and completeness. ' +
          'The weak ETag covers the figures, not asOf: send it in If-None-Match to get 304 while nothing changed. ' +
          'As text/csv (Accept, or format=csv): one row per figure and period. ' +
          'Below national level without a token (disclosure-controlled) a snapshot "now" comes from ' +
          'the controlled tree of the current tick (PUBLIC_TICK_MS), or from the previous tick’s ' +
          'while that one is built: `asOf` says when its figures were read, the `Age` header how ' +
          'many seconds ago.',
        ...scopeParams(route),
        querystring: SnapshotQuery,
        response: {
          200: jsonOrCsv(
            { ...SnapshotSchema, examples: [SNAPSHOT_EXAMPLE] },
            'The snapshot, as JSON or CSV.',
          ),
          304: { description: 'Not modified: the ETag still matches.', type: 'null' },
          ...problemResponses('INVALID_PARAMETER', 'UNKNOWN_ORGANISATION', 'NOT_IN_FORCE'),
        },
      },
      handler: async (request, reply) => {
        const { code = '' } = request.params as { code?: string };
        const query = request.query as { asOf?: string; exact?: boolean; format?: Format };
        const exact = query.exact ?? false;
        const format = formatOf(request, query.format);
        const asOf = asOfParam(query.asOf, now());
        const londonDate = londonDateOf(asOf);
        const { scope, info } = scopeOn(refdata, route.kind, code, londonDate);
        /**
         * Sends a body with its tag; the CSV is another representation: another tag. A controlled
         * body's JSON goes as its tree holds it (src/public-tier.ts, ControlledBody).
         */
        const send = (body: () => Snapshot, etag: string, readAt: number, json?: string) => {
          const tag = format === 'csv' ? bodyEtag(`${etag}:csv`) : etag;
          reply.header('etag', tag);
          const name = csvFileName(info.kind, info.code, 'snapshot', iso(readAt));
          negotiate(reply, format, name, snapshotRows);
          if (etagMatches(request.headers['if-none-match'], tag)) return reply.code(304).send();
          if (json !== undefined && format === 'json') return sendJsonText(reply, json);
          return body();
        };
        if (reply.disclose(scope, londonDate, londonDate) === 'controlled') {
          const controlled = await publicTier.snapshot(
            scope,
            query.asOf === undefined ? undefined : asOf,
          );
          // A "now" body is of the tick's tree, or of the last one while it builds: how old.
          if (query.asOf === undefined) reply.header('age', ageSeconds(controlled.asOf, now()));
          return send(() => controlled.body, controlled.etag, controlled.asOf, controlled.json);
        }
        const read = async (): Promise<CachedSnapshot> => {
          const snapshot = await readSnapshot(figures, scope, info, asOf, londonDate, exact);
          return { snapshot, etag: snapshotEtag(snapshot) };
        };
        const { snapshot, etag } =
          query.asOf === undefined
            ? await cache.get(`${route.kind}:${code}:${londonDate}:${exact}`, read)
            : await read();
        return send(() => ({ ...snapshot, disclosure: 'exact' }), etag, Date.parse(snapshot.asOf));
      },
    });
  }
};

/** Whole seconds from `asOf` to `at` (the HTTP Age header's unit), never negative. */
function ageSeconds(asOf: number, at: number): string {
  return String(Math.max(0, Math.floor((at - asOf) / 1000)));
}

export default snapshots;
