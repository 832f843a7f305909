// buildApp: the whole HTTP API from settings and dependencies, on the service kit's app and
// operations plugin (/healthz, /readyz, /metrics). It never listens and never reads the
// environment; main.ts does both. Tests call app.inject() on it.
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createServiceApp, operations } from '@pulse/service';
import accepts from '@fastify/accepts';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FeedsApiConfig } from './config.js';
import type { AppDeps } from './ports.js';
import auth from './plugins/auth.js';
import dashboard from './plugins/dashboard.js';
import docs from './plugins/docs.js';
import errors, { clientErrorHandler, frameworkErrors } from './plugins/errors.js';
import httpCache from './plugins/http-cache.js';
import organisations from './plugins/organisations.js';
import rateLimit, { type RateLimits } from './plugins/rate-limit.js';
import series from './plugins/series.js';
import snapshots from './plugins/snapshots.js';
import stream, { type StreamSettings } from './stream/plugin.js';
import { boundedFigures, createGate, DEFAULT_WORK_LIMITS, type WorkLimits } from './work-limits.js';
import { createPublicTier, DEFAULT_CACHE_BUDGET, type PublicTier } from './public-tier.js';
import { inProcessBuilder, workerBuilder } from './tree-builder.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** What the routes read from: reference data, figures and the clock. */
    pulse: Required<Pick<AppDeps, 'refdata' | 'figures' | 'now'>> & {
      /** The public tier's figures below national level (disclosure-controlled trees). */
      publicTier: PublicTier;
    };
  }
}

export type AppConfig = Pick<FeedsApiConfig, 'corsOrigins' | 'publicUrl'> & {
  /** Most points per series request (default 2,000). */
  maxSeriesPoints?: number;
  /** How long a "now" snapshot of a scope is reused, in ms (default 0: read every time). */
  snapshotCacheMs?: number;
  /** The push feed's coalescing, heartbeat, limits (stream/plugin.ts has the defaults). */
  stream?: StreamSettings;
  /** Bounds on the work of expensive reads (src/work-limits.ts). */
  workLimits?: Partial<WorkLimits>;
  /** Per-client request limits; applied when deps.limitStore is given too. */
  rateLimits?: RateLimits;
  /** The public tier's trees (src/public-tier.ts has the meaning and defaults). */
  publicTier?: PublicTierSettings;
  /** The built dashboard's folder, served at `/` (none: `/` is a 404). */
  dashboardDir?: string;
};

export interface PublicTierSettings {
  /** A public "now" snapshot is rebuilt at most this often, ms (default 60,000). */
  tickMs?: number;
  /** Most points of a public sub-national series (default 200). */
  maxSeriesPoints?: number;
  /** Trees held, in body-points (default DEFAULT_CACHE_BUDGET). */
  cacheBudget?: number;
  /**
   * Distinct trees built at once per process (default 4, as expensive reads): a page asking for a
   * snapshot and a few series at once is served; one more is a 503.
   */
  maxBuilds?: number;
}

/** Response headers a browser on another origin may read (CORS). */
const EXPOSED_HEADERS = ['ETag', 'Age', 'Retry-After', 'Allow', 'Disclosure', 'WWW-Authenticate'];

export async function buildApp(config: AppConfig, deps: AppDeps): Promise<FastifyInstance> {
  // Every bad parameter is reported, not only the first (query strings are small); an unknown
  // query parameter is an error, not silently dropped.
  const app = (
    await createServiceApp({
      logger: deps.logger,
      rejectUnknown: true,
      frameworkErrors,
      clientErrorHandler,
    })
  ).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(
    fp(
      async (instance) => {
        const limits = { ...DEFAULT_WORK_LIMITS, ...config.workLimits };
        const now = deps.now ?? Date.now;
        const settings = config.publicTier ?? {};
        const maxBuilds = settings.maxBuilds ?? 4;
        // One thread fewer than the cores, at least one: the event loop keeps a core.
        const builder = deps.disclosure
          ? inProcessBuilder(deps.refdata, deps.disclosure)
          : workerBuilder({ threads: Math.min(maxBuilds, availableParallelism() - 1) });
        instance.addHook('onClose', () => builder.close());
        instance.decorate('pulse', {
          refdata: deps.refdata,
          figures: boundedFigures(deps.figures, limits),
          now,
          publicTier: createPublicTier({
            figures: deps.figures,
            refdata: deps.refdata,
            now,
            builder,
            gate: createGate(maxBuilds),
            tickMs: settings.tickMs ?? 60_000,
            maxSeriesPoints: settings.maxSeriesPoints ?? 200,
            cacheBudget: settings.cacheBudget ?? DEFAULT_CACHE_BUDGET,
            retryAfterSeconds: limits.retryAfterSeconds,
            logger: deps.logger.child({ component: 'public-tier' }),
          }),
        });
      },
      { name: 'pulse-deps' },
    ),
  );
  await app.register(errors);
  // Security headers on every response, /docs and problems included. A dashboard on another
  // origin (CORS_ORIGINS) must be allowed to read the responses it fetched.
  await app.register(helmet, {
    global: true,
    crossOriginResourcePolicy: {
      policy: config.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin',
    },
  });
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      methods: ['GET', 'HEAD'],
      allowedHeaders: ['Authorization', 'If-None-Match'],
      exposedHeaders: EXPOSED_HEADERS,
    });
  }
  // Every request's token is verified first: a bad one is a 401 on any route.
  await app.register(auth, {
    verify: deps.verify,
    audit: deps.logger.child({ component: 'audit' }),
    refdata: deps.refdata,
  });
  if (config.rateLimits && deps.limitStore) {
    await app.register(rateLimit, { limits: config.rateLimits, ...deps.limitStore });
  }
  // Content negotiation (JSON or CSV) of the figure routes: src/formats.ts.
  await app.register(accepts);
  // ETags hash the JSON body, so they are made before compression.
  await app.register(httpCache);
  await app.register(compress, { encodings: ['br', 'gzip', 'deflate'] });
  // Docs before the routes: @fastify/swagger documents the routes added after it.
  await app.register(docs, config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl });
  await app.register(operations, {
    prefix: 'feeds_api_',
    readiness: deps.readiness,
    readyDescription:
      'Redis answers PING (`redis`), and so does the connection the push feed reads the change ' +
      'log through (`changeLog`); the activity topic has no partition beyond TOPIC_PARTITIONS ' +
      'with figures stored (an offset key for partition TOPIC_PARTITIONS), and every trust whose ' +
      'records were applied is read from the partition they were applied on (`partitions`), so ' +
      'complete figures can be served; 503 says which check failed (with its detail for an ' +
      'operator token).',
    showDetail: (request) =>
      request.principal.kind === 'token' && request.principal.role === 'operator',
  });
  await app.register(
    async (v1) => {
      await v1.register(organisations);
      await v1.register(
        snapshots,
        config.snapshotCacheMs === undefined ? {} : { cacheMs: config.snapshotCacheMs },
      );
      await v1.register(
        series,
        config.maxSeriesPoints === undefined ? {} : { maxPoints: config.maxSeriesPoints },
      );
      await v1.register(stream, {
        ...config.stream,
        changeLog: deps.changeLog,
        logger: deps.logger,
        limitStore: deps.limitStore,
      });
    },
    { prefix: '/v1' },
  );
  if (config.dashboardDir !== undefined) {
    await app.register(dashboard, { root: config.dashboardDir });
  }
  return app;
}
