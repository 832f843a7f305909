// The operations server: the service kit's /healthz, /readyz and /metrics over the aggregator's
// registry and readiness checks. Built here, listened on by main only, so tests drive it with
// app.inject().
import type { Logger } from '@pulse/logging';
import { createServiceApp, operations, type ReadinessCheck } from '@pulse/service';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface OpsAppDeps {
  registry: Registry;
  readiness: readonly ReadinessCheck[];
  /** Request logging; none by default (the aggregator logs its own events). */
  logger?: Logger;
}

export async function buildOpsApp(deps: OpsAppDeps): Promise<FastifyInstance> {
  const app = await createServiceApp(deps.logger ? { logger: deps.logger } : {});
  await app.register(operations, {
    prefix: 'aggregator_',
    registry: deps.registry,
    readiness: deps.readiness,
  });
  return app;
}
