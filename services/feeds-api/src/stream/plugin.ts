// GET /v1/{england|regions/{code}|icbs/{code}|trusts/{code}}/stream: the push feed, and
// GET .../changes: the same change log by pull. One hub per app (one change-log reader per
// process) serves every exact stream; the public feed (public-feed.ts) serves the streams of
// callers who do not see a sub-national scope exactly, from the public tier's controlled trees.
// @fastify/sse negotiates Accept, writes the SSE headers (no caching, no proxy buffering) and
// tracks the connection; the feeds write frames they encoded once straight to the response
// (response-connection.ts), because the plugin's send() serializes per call and waits for
// 'drain' per subscriber, where a fan-out must encode once and drop, not wait for, a slow client.
import sseModule, { type SSEPluginOptions } from '@fastify/sse';
import type { FastifyPluginAsync } from 'fastify';
import { londonDateOf, scopeKey } from '@pulse/kpi';
import type { Logger } from '@pulse/logging';
import type { Redis } from '@pulse/redis';
import { clientOf } from '../plugins/rate-limit.js';
import { createStreamLimiter } from '../stream-limiter.js';
import { leasedSlots, localSlots } from './slots.js';
import { ApiError } from '../errors.js';
import { problemResponses } from '../schemas/common.js';
import { SCOPE_ROUTES, scopeParams } from '../schemas/scope.js';
import { readSnapshot } from '../snapshot.js';
import { scopeOn, type ScopeKind } from '../scopes.js';
import type { ChangeLog } from './change-log.js';
import { changesRoute } from './changes-route.js';
import { counterCache } from './counter-cache.js';
import { parseFigures } from './figures-filter.js';
import { sharedFreshReads } from './fresh-reads.js';
import { createStreamHub, type HubOptions } from './hub.js';
import { createStreamMetrics } from './metrics.js';
import { createPublicFeed } from './public-feed.js';
import { responseConnection } from './response-connection.js';
import { CURSOR_EXAMPLE, StreamEventSchema, StreamQuery } from './schemas.js';

export type StreamSettings = Pick<
  HubOptions,
  | 'coalesceMs'
  | 'pollMs'
  | 'heartbeatMs'
  | 'maxBufferBytes'
  | 'maxLifetimeMs'
  | 'retryMs'
  | 'pageLimit'
> & {
  /** Streams open at once on this process (default 20,000). */
  maxConnections?: number;
  /** Streams open at once per client: token subject, else address (default 20). */
  maxPerClient?: number;
  /** How long a stream's slot lasts in Redis unless renewed, ms (default 30,000). */
  leaseMs?: number;
};

export interface StreamOptions extends StreamSettings {
  /**
   * The change log; without one the exact streams and the changes routes answer 503 (the public
   * streams below national level do not need it).
   */
  changeLog: ChangeLog | undefined;
  logger: Logger;
  /** Where the slots of every replica are leased; without it each process counts its own. */
  limitStore?: { redis: Redis; prefix: string } | undefined;
}

// Its types declare an ES default export, but under NodeNext a CommonJS module's default import is
// module.exports: the fastify-plugin-wrapped function, which is what must be registered.
const sse = sseModule as unknown as FastifyPluginAsync<SSEPluginOptions>;

const stream: FastifyPluginAsync<StreamOptions> = async (app, options) => {
  const maxConnections = options.maxConnections ?? 20_000;
  const maxPerClient = options.maxPerClient ?? 20;
  const leaseMs = options.leaseMs ?? 30_000;
  for (const [name, value] of Object.entries({ maxConnections, maxPerClient, leaseMs })) {
    if (!Number.isInteger(value) || value < 1)
      throw new TypeError(`${name} must be a positive integer`);
  }
  const { figures, refdata, now, publicTier } = app.pulse;
  const { changeLog } = options;
  const metrics = createStreamMetrics(app.metrics, 'feeds_api_');
  const publicFeed = createPublicFeed({
    ...options,
    tier: publicTier,
    now,
    metrics,
    logger: options.logger.child({ component: 'public-stream' }),
  });
  const counters = counterCache(sharedFreshReads(figures));
  const hub =
    changeLog &&
    createStreamHub({
      ...options,
      log: changeLog,
      metrics,
      // Coalescing, heartbeats and latencies run on the wall clock; `now` only picks asOf.
      logger: options.logger.child({ component: 'stream' }),
      changed(change) {
        for (const key of change.scopes) counters.changed(key, change.detail?.[key]?.buckets);
      },
      lost: () => counters.clear(),
      async readSnapshot(key) {
        const at = now();
        const londonDate = londonDateOf(at);
        const [kind, code = ''] = key === 'e' ? ['england'] : key.split(':');
        const { scope, info } = scopeOn(refdata, KIND_OF[kind!]!, code, londonDate);
        // Streams are served only to callers who see the scope exactly (the route checks).
        return {
          ...(await readSnapshot(counters.figures, scope, info, at, londonDate)),
          disclosure: 'exact',
        };
      },
    });
  const store = options.limitStore;
  /** Streams past the total limit's check, still taking their slot. */
  let opening = 0;
  const slots = store
    ? leasedSlots(
        createStreamLimiter(store.redis, {
          prefix: `${store.prefix}:streams:`,
          maxPerClient,
          leaseMs,
        }),
        leaseMs,
        options.logger,
      )
    : localSlots(maxPerClient);
  // Before the server waits for its connections: end every stream with a `disconnect`.
  app.addHook('preClose', async () => {
    await Promise.all([hub?.close(), publicFeed.close()]);
    slots.close();
  });

  await app.register(sse, { heartbeatInterval: 0 });

  for (const route of SCOPE_ROUTES) {
    app.get(`${route.prefix}/stream`, {
      sse: { kind: 'only', heartbeat: false },
      // The frames are written to the socket as they are made: nothing may buffer them.
      compress: false,
      schema: {
        tags: ['stream'],
        operationId: `${route.kind}Stream`,
        summary: `Live push feed of ${route.label} (server-sent events)`,
        description:
          `Server-sent events for ${route.label}: a \`snapshot\` first (with the change-log cursor it ` +
          'reflects), then an `update` when its figures change (coalesced: at most one per ' +
          'STREAM_COALESCE_MS, default 1 s), a `heartbeat` at least every 15 s carrying the head ' +
          'cursor, and `disconnect` before the server ends the stream. Events that move the cursor ' +
          'carry an SSE `id:`; reconnecting with `Last-Event-ID` (or `?since=`) on any replica ' +
          'resumes exactly: one `update` listing every change missed (none if nothing was), no ' +
          'snapshot. A subscriber whose first event is more than STREAM_HEARTBEAT_MS late (e.g. ' +
          'while this server cannot read the store) gets heartbeats until it comes, without an id. ' +
          'A cursor that ' +
          'fell out of the log’s retention, or is not a cursor, gets `reset` then a fresh ' +
          '`snapshot`. The server disconnects a client that falls more than STREAM_MAX_BUFFER_BYTES ' +
          'behind (`slow-consumer`) and ends connections after STREAM_MAX_LIFETIME_MS; both resume ' +
          'with Last-Event-ID. Not compressed. England’s stream is exact for everyone. Below national ' +
          'level, a caller whose token does not see the scope exactly (or who sends none) gets the ' +
          'public, disclosure-controlled stream instead: the body of the public snapshot route, from ' +
          'the controlled tree of the tick (PUBLIC_TICK_MS), as a `snapshot`, then an `update` with ' +
          'the new body at most once per tick, only when it changed (its ETag). Its events follow the ' +
          'tick, not individual changes, so they date no event: they carry no change list and ' +
          'their ids are public cursors `tick:<tick>:<etag>`. There is no history of controlled ' +
          'bodies: resuming with a public cursor sends the current body as one `update` if it ' +
          'differs from the one the cursor names (nothing otherwise); any other cursor gets `reset` ' +
          'and a fresh `snapshot`. At most STREAM_MAX_PER_CLIENT streams per client (token subject, else address) over ' +
          'every server: 429 with Retry-After beyond.',
        ...scopeParams(route),
        querystring: StreamQuery,
        headers: {
          type: 'object',
          properties: {
            'last-event-id': {
              type: 'string',
              maxLength: 2048,
              description: 'The id of the last event received: resume after it.',
              examples: [CURSOR_EXAMPLE],
            },
          },
        },
        response: {
          200: {
            description:
              'The event stream (`text/event-stream`); the server ends it only after a ' +
              '`disconnect` event.',
            content: { 'text/event-stream': { schema: StreamEventSchema } },
          },
          ...problemResponses(
            'INVALID_PARAMETER',
            'UNKNOWN_ORGANISATION',
            'NOT_IN_FORCE',
            'TOO_MANY_STREAMS',
            'STREAMS_FULL',
            'UNAVAILABLE',
          ),
        },
      },
      handler: async (request, reply) => {
        const { code = '' } = request.params as { code?: string };
        const query = request.query as { figures?: string; since?: string };
        const wanted = parseFigures(query.figures);
        const londonDate = londonDateOf(now());
        const { scope } = scopeOn(refdata, route.kind, code, londonDate);
        // Exact: the hub; disclosure-controlled (public tier, below national level): publicFeed.
        const exact = reply.disclose(scope, londonDate, londonDate) === 'exact';
        if (exact && !hub)
          throw new ApiError('UNAVAILABLE', 'The push feed has no change log to follow.');
        if ((hub?.connections ?? 0) + publicFeed.connections + opening >= maxConnections) {
          metrics.refused('total');
          throw new ApiError(
            'STREAMS_FULL',
            `This server holds ${maxConnections} streams; try another.`,
          );
        }
        // Counted from here, as taking a slot waits for Redis: streams arriving together cannot
        // all pass the total limit before the first of them is open.
        opening += 1;
        let release: (() => void) | undefined;
        try {
          release = await slots.take(clientOf(request));
        } finally {
          opening -= 1;
        }
        if (!release) {
          metrics.refused('per-client');
          throw new ApiError(
            'TOO_MANY_STREAMS',
            `At most ${maxPerClient} streams at once per client (token subject, else address), ` +
              'over every server; close one first.',
            { headers: { 'retry-after': String(Math.ceil(leaseMs / 1000)) } },
          );
        }
        if (request.raw.destroyed) {
          // The client left while the slot was being taken.
          release();
          return reply.hijack();
        }
        const lastEventId = request.headers['last-event-id'];
        reply.sse.keepAlive();
        // HTTP/1.0 has no chunked body: the stream ends with the connection, so the head says so
        // (@fastify/sse would send `connection: keep-alive`; headers set here override its own).
        if (request.raw.httpVersion === '1.0') reply.header('connection', 'close');
        reply.sse.sendHeaders();
        const subscriber = {
          kind: route.kind,
          figures: wanted,
          resumeFrom:
            typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : query.since,
          connection: responseConnection(reply.raw),
        };
        // The one change-log reader starts with the first exact stream (not at start-up, before
        // main has connected Redis).
        if (exact) hub?.start();
        const subscription =
          exact && hub
            ? hub.subscribe({ ...subscriber, scopeKey: scopeKey(scope) })
            : publicFeed.subscribe({ ...subscriber, scope });
        reply.sse.onClose(() => {
          subscription.close();
          release();
        });
      },
    });
    changesRoute(app, route, changeLog);
  }
};

const KIND_OF: Record<string, ScopeKind> = {
  england: 'england',
  r: 'region',
  i: 'icb',
  t: 'trust',
};

export default stream;
