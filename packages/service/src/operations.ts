// The operations plugin every service registers: /healthz (the process is up), /readyz (its
// named checks, one body shape everywhere), /metrics (prom-client: process metrics, HTTP request
// counts and durations by route template, and whatever the service registers on app.metrics).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { readiness, type ReadinessCheck } from './readiness.js';
import { HEALTHZ_SCHEMA, metricsSchema, readyzSchema } from './schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's Prometheus registry; /metrics serves it. */
    metrics: Registry;
  }
}

export interface OperationsOptions {
  /** Prefix of the HTTP metrics (and of the default metrics this plugin collects), e.g. `feeds_api_`. */
  prefix: string;
  /** What /readyz runs. */
  readiness: readonly ReadinessCheck[];
  /** What /readyz says it checks (its OpenAPI description). */
  readyDescription?: string;
  /** An existing registry (its default metrics already collected); default: a new one with them. */
  registry?: Registry;
  /** How long each readiness check may take before it counts as failing (default 2 s). */
  readyTimeoutMs?: number;
  /** Histogram buckets for request durations, in seconds. */
  buckets?: number[];
  /**
   * Whether /readyz may show a failing check's `detail` to this request (default: always).
   * A public API hides it: the detail names its configuration and dependencies.
   */
  showDetail?: (request: FastifyRequest) => boolean;
}

const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

const operations: FastifyPluginAsync<OperationsOptions> = async (app, options) => {
  const { prefix } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? 2_000;
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix))
    throw new TypeError(`bad metric prefix: ${prefix}`);
  if (!(readyTimeoutMs > 0)) throw new RangeError('readyTimeoutMs must be > 0');

  const registry = options.registry ?? new Registry();
  if (!options.registry) collectDefaultMetrics({ register: registry, prefix });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames,
    registers: [registry],
  });
  const durations = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request, by method, route template and status.',
    labelNames,
    buckets: options.buckets ?? DEFAULT_BUCKETS,
    registers: [registry],
  });
  app.decorate('metrics', registry);

  app.addHook('onResponse', async (request, reply) => {
    // The route template, not the URL, so codes and queries do not explode the label set.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    durations.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/healthz', { schema: HEALTHZ_SCHEMA }, async () => ({ status: 'ok' as const }));

  const readyDescription =
    options.readyDescription ??
    `Runs the checks ${options.readiness.map((c) => c.name).join(', ') || '(none)'}.`;
  app.get('/readyz', { schema: readyzSchema(readyDescription) }, async (request, reply) => {
    const body = await readiness(options.readiness, readyTimeoutMs);
    if (body.status !== 'ready') request.log.warn({ checks: body.checks }, 'not ready');
    if (options.showDetail && !options.showDetail(request)) {
      for (const check of Object.values(body.checks)) delete check.detail;
    }
    return reply.code(body.status === 'ready' ? 200 : 503).send(body);
  });

  const example = `${prefix}http_requests_total{method="GET",route="/healthz",status="200"} 3\n`;
  app.get('/metrics', { schema: metricsSchema(example) }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
};

export default fp(operations, { name: 'pulse-operations', fastify: '5.x' });
