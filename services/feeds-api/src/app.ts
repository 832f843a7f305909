// buildApp: the whole HTTP API from settings and dependencies. It never listens and never reads
// the environment; main.ts does both. Tests call app.inject() on it.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FeedsApiConfig } from './config.js';
import type { AppDeps } from './ports.js';
import docs from './plugins/docs.js';
import errors from './plugins/errors.js';
import health from './plugins/health.js';
import metrics from './plugins/metrics.js';
import organisations from './plugins/organisations.js';
import series from './plugins/series.js';
import snapshots from './plugins/snapshots.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** What the routes read from: reference data, figures, the readiness probe and the clock. */
    pulse: Required<Pick<AppDeps, 'refdata' | 'figures' | 'ready' | 'now'>>;
  }
}

export type AppConfig = Pick<FeedsApiConfig, 'corsOrigins' | 'publicUrl'> & {
  /** Most points per series request (default 2,000). */
  maxSeriesPoints?: number;
  /** How long a "now" snapshot of a scope is reused, in ms (default 0: read every time). */
  snapshotCacheMs?: number;
};

export async function buildApp(config: AppConfig, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger,
    // Report every bad parameter, not only the first (query strings are small).
    ajv: { customOptions: { allErrors: true } },
    // Behind a proxy the request id may come in; otherwise Fastify makes one.
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(
    fp(
      async (instance) => {
        instance.decorate('pulse', {
          refdata: deps.refdata,
          figures: deps.figures,
          ready: deps.ready,
          now: deps.now ?? Date.now,
        });
      },
      { name: 'pulse-deps' },
    ),
  );
  await app.register(errors);
  // Docs first: @fastify/swagger documents the routes added after it.
  await app.register(docs, config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl });
  await app.register(metrics);
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      methods: ['GET', 'HEAD'],
      exposedHeaders: ['ETag'],
    });
  }
  await app.register(compress, { encodings: ['br', 'gzip', 'deflate'] });
  await app.register(health);
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
    },
    { prefix: '/v1' },
  );
  return app;
}
