// Prometheus /metrics: process metrics plus request counts and durations by route and status.
// Each app has its own registry, so several apps (tests) never collide on metric names.
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's Prometheus registry. */
    metrics: Registry;
  }
}

export interface MetricsOptions {
  /** Prefix of every metric name. */
  prefix?: string;
  /** Histogram buckets for request durations, in seconds. */
  buckets?: number[];
}

const metrics: FastifyPluginAsync<MetricsOptions> = async (app, options) => {
  const prefix = options.prefix ?? 'feeds_api_';
  const buckets = options.buckets ?? [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
  ];
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix))
    throw new TypeError(`bad metric prefix: ${prefix}`);

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
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
    buckets,
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

  app.get('/metrics', {
    schema: {
      tags: ['operations'],
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      description:
        'Process metrics and HTTP request counts and durations, in the Prometheus text format.',
      response: {
        200: {
          description: 'Prometheus text exposition format.',
          content: {
            'text/plain': {
              schema: {
                type: 'string',
                description: 'Metrics in the Prometheus text format.',
                examples: [
                  'feeds_api_http_requests_total{method="GET",route="/healthz",status="200"} 3\n',
                ],
              },
            },
          },
        },
      },
    },
    handler: async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  });
};

export default fp(metrics, { name: 'pulse-metrics', fastify: '5.x' });
