// GET /v1/{england|regions/{code}|icbs/{code}|trusts/{code}}/snapshot
import type { FastifyPluginAsync } from 'fastify';
import { londonDateOf } from '@pulse/kpi';
import { problemResponses } from '../schemas/common.js';
import { SCOPE_ROUTES, scopeParams } from '../schemas/scope.js';
import { SnapshotQuery, SnapshotSchema } from '../schemas/snapshot.js';
import { etagMatches, snapshotEtag } from '../etag.js';
import { readSnapshot } from '../snapshot.js';
import { createSnapshotCache, type CachedSnapshot } from '../snapshot-cache.js';
import { scopeOn } from '../scopes.js';
import { asOfParam } from '../time.js';
import { SNAPSHOT_EXAMPLE } from './examples.js';

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
          'The weak ETag covers the figures, not asOf: send it in If-None-Match to get 304 while nothing changed.',
        ...scopeParams(route),
        querystring: SnapshotQuery,
        response: {
          200: { ...SnapshotSchema, examples: [SNAPSHOT_EXAMPLE] },
          304: { description: 'Not modified: the ETag still matches.', type: 'null' },
          ...problemResponses('INVALID_PARAMETER', 'UNKNOWN_ORGANISATION', 'NOT_IN_FORCE'),
        },
      },
      handler: async (request, reply) => {
        const { code = '' } = request.params as { code?: string };
        const query = request.query as { asOf?: string; exact?: boolean };
        const exact = query.exact ?? false;
        const asOf = asOfParam(query.asOf, now());
        const londonDate = londonDateOf(asOf);
        const { scope, info } = scopeOn(refdata, route.kind, code, londonDate);
        if (reply.disclose(scope, londonDate, londonDate) === 'controlled') {
          const at = query.asOf === undefined ? undefined : asOf;
          const { body, etag } = await publicTier.snapshot(scope, at);
          reply.header('etag', etag);
          if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
          return body;
        }
        const read = async (): Promise<CachedSnapshot> => {
          const snapshot = await readSnapshot(figures, scope, info, asOf, londonDate, exact);
          return { snapshot, etag: snapshotEtag(snapshot) };
        };
        const { snapshot, etag } =
          query.asOf === undefined
            ? await cache.get(`${route.kind}:${code}:${londonDate}:${exact}`, read)
            : await read();
        reply.header('etag', etag);
        if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
        return { ...snapshot, disclosure: 'exact' };
      },
    });
  }
};

export default snapshots;
