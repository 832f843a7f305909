// The operations server: liveness, readiness and Prometheus metrics. Built here, listened on by
// main only, so tests drive it with app.inject().
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface ReadinessCheck {
  /** Name shown in the /readyz body. */
  name: string;
  /** Resolves true when healthy; a rejection counts as unhealthy. */
  check(): Promise<boolean>;
}

export interface OpsAppDeps {
  registry: Registry;
  readiness: readonly ReadinessCheck[];
  /** Fastify's logger option; false by default (the aggregator logs its own events). */
  logger?: boolean;
}

const READY_TIMEOUT_MS = 2_000;

async function run(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([check.check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function buildOpsApp(deps: OpsAppDeps): FastifyInstance {
  const app = Fastify({ logger: deps.logger ?? false });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      deps.readiness.map(async (c) => [c.name, await run(c)] as const),
    );
    const ready = results.every(([, ok]) => ok);
    const checks = Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'failing']));
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(body);
  });

  return app;
}
