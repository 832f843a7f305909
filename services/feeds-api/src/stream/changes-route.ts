// GET .../changes?since=&limit=: the change log of one scope by pull, page by page (FHIR's
// $events idea), for consumers that poll or were offline. Reads the log directly, not the hub.
import type { FastifyInstance } from 'fastify';
import { londonDateOf, scopeKey } from '@pulse/kpi';
import { ApiError, invalidParameter } from '../errors.js';
import { problemResponses } from '../schemas/common.js';
import { scopeParams, type ScopeRoute } from '../schemas/scope.js';
import { scopeOn } from '../scopes.js';
import { ChangeLogError, changeId, type ChangeLog, type LoggedChange } from './change-log.js';
import { ChangesPageSchema, ChangesQuery } from './schemas.js';

/** Log entries read per request at most (a trust's changes are a small share of England's). */
const MAX_SCANNED = 10_000;
const READ_LIMIT = 1_000;

function pageEntry(change: LoggedChange, key: string) {
  const detail = change.detail?.[key];
  return {
    id: changeId(change),
    cursor: change.cursor,
    appliedAt: new Date(change.at).toISOString(),
    newestEmittedAt:
      change.emittedAt === undefined ? null : new Date(change.emittedAt).toISOString(),
    buckets: [...(detail?.buckets ?? [])],
    gauges: detail?.gauges ?? false,
  };
}

/**
 * Why the public tier gets no sub-national change log: an entry says that a trust's bucket changed
 * and when, which tells a suppressed count from zero and dates individual events (README, "Tiers").
 */
export const CHANGES_REFUSAL =
  'The change log of a region, ICB or trust needs a token that sees it exactly: each entry says ' +
  "when the scope's figures changed, which would tell a suppressed count from zero. The public " +
  "tier has England's change log.";

export function changesRoute(
  app: FastifyInstance,
  route: ScopeRoute,
  log: ChangeLog | undefined,
): void {
  const { refdata, now } = app.pulse;
  app.get(`${route.prefix}/changes`, {
    schema: {
      tags: ['stream'],
      operationId: `${route.kind}Changes`,
      summary: `Changes of ${route.label} after a cursor (pull)`,
      description:
        `The change-log entries that changed ${route.label}'s figures after \`since\`, oldest first, ` +
        'with the buckets and gauges each changed; follow `nextCursor` page by page. Cursors are the ' +
        'stream’s event ids and are valid on every replica. A cursor older than the log keeps ' +
        '(about an hour, see docs/aggregation.md), or one from before the figures were rebuilt from the ' +
        'log, gets 410: read a snapshot and start from its cursor. Below national level it needs a ' +
        'token that sees the scope exactly (403 otherwise: an entry would tell a suppressed count ' +
        'from zero); England’s is public.',
      ...scopeParams(route),
      querystring: ChangesQuery,
      response: {
        200: ChangesPageSchema,
        ...problemResponses(
          'INVALID_PARAMETER',
          'UNKNOWN_ORGANISATION',
          'NOT_IN_FORCE',
          'FORBIDDEN',
          'CURSOR_EXPIRED',
          'UNAVAILABLE',
        ),
      },
    },
    handler: async (request, reply) => {
      const { code = '' } = request.params as { code?: string };
      const { since, limit = 100 } = request.query as { since?: string; limit?: number };
      const londonDate = londonDateOf(now());
      const { scope } = scopeOn(refdata, route.kind, code, londonDate);
      reply.disclose(scope, londonDate, londonDate, CHANGES_REFUSAL);
      if (!log) throw new ApiError('UNAVAILABLE', 'This server has no change log to read.');
      if (since === undefined)
        return { changes: [], nextCursor: await log.headCursor(), more: false };
      const key = scopeKey(scope);
      const found: LoggedChange[] = [];
      let cursor = since;
      let scanned = 0;
      let more = false;
      try {
        for (;;) {
          const page = await log.readChanges(cursor, { limit: READ_LIMIT });
          scanned += page.changes.length;
          for (const change of page.changes) {
            if (!change.scopes.includes(key)) continue;
            found.push(change);
            if (found.length === limit) break;
          }
          if (found.length === limit) {
            cursor = found.at(-1)!.cursor;
            more = true;
            break;
          }
          cursor = page.nextCursor;
          if (page.changes.length < READ_LIMIT) break;
          if (scanned >= MAX_SCANNED) {
            more = true;
            break;
          }
        }
      } catch (err) {
        if (!(err instanceof ChangeLogError)) throw err;
        if (err.kind === 'malformed')
          throw invalidParameter('query', 'since', `is not a cursor of this feed: ${err.message}`);
        throw new ApiError(
          'CURSOR_EXPIRED',
          `${err.message}; read a snapshot and follow from its cursor.`,
          { cause: err },
        );
      }
      return { changes: found.map((change) => pageEntry(change, key)), nextCursor: cursor, more };
    },
  });
}
