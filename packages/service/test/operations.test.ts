import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceApp, operations, type ReadinessCheck } from '../src/index.js';

const apps: Awaited<ReturnType<typeof createServiceApp>>[] = [];
afterEach(async () => void (await Promise.all(apps.splice(0).map((app) => app.close()))));

async function build(readiness: ReadinessCheck[], registry?: Registry) {
  const app = await createServiceApp();
  apps.push(app);
  await app.register(operations, {
    prefix: 'svc_',
    readiness,
    readyTimeoutMs: 200,
    ...(registry ? { registry } : {}),
  });
  app.get('/thing/:id', async () => ({ ok: true }));
  return app;
}

describe('operations', () => {
  it('healthz should answer ok whatever the checks say', async () => {
    const app = await build([{ name: 'db', check: () => Promise.reject(new Error('down')) }]);
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('readyz should answer 200 with every check ok when all pass', async () => {
    const app = await build([
      { name: 'db', check: async () => 'PONG' },
      { name: 'group', check: async () => true },
    ]);
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ready',
      checks: { db: { status: 'ok' }, group: { status: 'ok' } },
    });
  });

  it('readyz should answer 503 in the same shape, naming each failing check and why', async () => {
    const app = await build([
      { name: 'db', check: () => Promise.reject(new Error('connection refused')) },
      { name: 'group', check: async () => false },
      { name: 'hung', check: () => new Promise(() => {}) },
      { name: 'fine', check: async () => undefined },
    ]);
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      status: 'not ready',
      checks: {
        db: { status: 'failing', detail: 'connection refused' },
        group: { status: 'failing' },
        hung: { status: 'failing', detail: 'no answer in 200 ms' },
        fine: { status: 'ok' },
      },
    });
  });

  it('readyz should hide check details from a request showDetail refuses', async () => {
    const app = await createServiceApp();
    apps.push(app);
    await app.register(operations, {
      prefix: 'svc_',
      readiness: [{ name: 'db', check: () => Promise.reject(new Error('db at 10.0.0.7 down')) }],
      showDetail: (request) => request.headers['x-operator'] === 'yes',
    });
    const hidden = await app.inject({ url: '/readyz' });
    expect(hidden.statusCode).toBe(503);
    expect(hidden.json()).toEqual({ status: 'not ready', checks: { db: { status: 'failing' } } });
    const shown = await app.inject({ url: '/readyz', headers: { 'x-operator': 'yes' } });
    expect(shown.json().checks.db.detail).toBe('db at 10.0.0.7 down');
  });

  it('metrics should count requests by route template and serve a given registry', async () => {
    const registry = new Registry();
    const app = await build([], registry);
    await app.inject({ url: '/thing/42' });
    await app.inject({ url: '/nowhere' });
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain(
      'svc_http_requests_total{method="GET",route="/thing/:id",status="200"} 1',
    );
    expect(res.body).toContain(
      'svc_http_requests_total{method="GET",route="unmatched",status="404"} 1',
    );
    expect(app.metrics).toBe(registry);
  });

  it('metrics should collect the process metrics under the prefix when given no registry', async () => {
    const app = await build([]);
    expect((await app.inject({ url: '/metrics' })).body).toContain('svc_process_cpu_seconds_total');
  });
});
