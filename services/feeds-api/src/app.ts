// buildApp: the whole HTTP API from settings and dependencies, on the service kit's app and
// operations plugin (/healthz, /readyz, /metrics). It never listens and never reads the
// environment; main.ts does both. Tests call app.inject() on it.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createServiceApp, operations } from '@pulse/service';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FeedsApiConfig } from './config.js';
import type { AppDeps } from './ports.js';
import docs from './plugins/docs.js';
import errors from './plugins/errors.js';
import organisations from './plugins/organisations.js';
import series from './plugins/series.js';
import snapshots from './plugins/snapshots.js';
import stream, { type StreamSettings } from './stream/plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** What the routes read from: reference data, figures and the clock. */
    pulse: Required<Pick<AppDeps, 'refdata' | 'figures' | 'now'>>;
  }
}

export type AppConfig = Pick<FeedsApiConfig, 'corsOrigins' | 'publicUrl'> & {
  /** Most points per series request (default 2,000). */
  maxSeriesPoints?: number;
  /** How long a "now" snapshot of a scope is reused, in ms (default 0: read every time). */
  snapshotCacheMs?: number;
  /** The push feed's coalescing, heartbeat, limits (stream/plugin.ts has the defaults). */
  stream?: StreamSettings;
};

export async function buildApp(config: AppConfig, deps: AppDeps): Promise<FastifyInstance> {
  // Every bad parameter is reported, not only the first (query strings are small).
  const app = (
    await createServiceApp({ logger: deps.logger })
  ).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(
    fp(
      async (instance) => {
        instance.decorate('pulse', {
          refdata: deps.refdata,
          figures: deps.figures,
          now: deps.now ?? Date.now,
        });
      },
      { name: 'pulse-deps' },
    ),
  );
  await app.register(errors);
  // Docs first: @fastify/swagger documents the routes added after it.
  await app.register(docs, config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl });
  await app.register(operations, {
    prefix: 'feeds_api_',
    readiness: deps.readiness,
    readyDescription:
      'Redis answers PING (`redis`) and the activity topic has no partition beyond ' +
      'TOPIC_PARTITIONS with figures stored, an offset key for partition TOPIC_PARTITIONS ' +
      '(`partitions`), so complete figures can be served; 503 names the failing check.',
  });
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      methods: ['GET', 'HEAD'],
      exposedHeaders: ['ETag'],
    });
  }
  await app.register(compress, { encodings: ['br', 'gzip', 'deflate'] });
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
      });
    },
    { prefix: '/v1' },
  );
  return app;
}
