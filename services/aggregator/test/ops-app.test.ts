import type { ReadinessCheck } from '@pulse/service';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.js';
import { buildOpsApp } from '../src/ops-app.js';

const apps: FastifyInstance[] = [];
async function build(readiness: ReadinessCheck[]) {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = await buildOpsApp({ registry: metrics.registry, readiness });
  apps.push(app);
  return { app, metrics };
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('buildOpsApp', () => {
  it('/healthz should answer 200 while the process runs', async () => {
    const { app } = await build([]);
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz should answer 503 naming the failing check, and 200 when all pass', async () => {
    let joined = false;
    const { app } = await build([
      { name: 'kafka-group', check: async () => joined },
      { name: 'redis', check: async () => true },
    ]);
    const down = await app.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      status: 'not ready',
      checks: { 'kafka-group': { status: 'failing' }, redis: { status: 'ok' } },
    });
    joined = true;
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it('/readyz should treat a check that throws as failing', async () => {
    const { app } = await build([
      { name: 'redis', check: () => Promise.reject(new Error('down')) },
    ]);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
  });

  it('/metrics should expose the aggregator metrics in the Prometheus text format', async () => {
    const { app, metrics } = await build([]);
    metrics.consumed(3);
    metrics.applied(0, {
      records: 3,
      accepted: 1,
      duplicates: 1,
      rejected: 1,
      rejectedByCode: new Map([['TOO_LATE', 1]]),
      newestEventAt: 1_780_000_000_000,
    });
    metrics.lag('activity', 4, 42);
    metrics.batchDuration(0.02);
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('aggregator_records_consumed_total 3');
    expect(res.body).toContain('aggregator_events_applied_total 1');
    expect(res.body).toContain('aggregator_duplicates_total 1');
    expect(res.body).toContain('aggregator_dead_lettered_total{code="TOO_LATE"} 1');
    expect(res.body).toContain(
      'aggregator_consumer_lag_records{topic="activity",partition="4"} 42',
    );
    expect(res.body).toContain('aggregator_newest_event_time_seconds 1780000000');
    expect(res.body).toContain('aggregator_batch_duration_seconds_count 1');
  });
});
