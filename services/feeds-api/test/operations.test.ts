import { createServer } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createRedis } from '@pulse/redis';
import { testLogger } from '@pulse/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { devToken, get, testApp } from './helpers.js';

/** A TCP port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('operations', () => {
  it('healthz should answer ok without touching Redis', async () => {
    const t = await testApp({}, async () => {
      throw new Error('must not be called');
    });
    const res = await get(t, '/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('readyz should answer ok when Redis answers PING', async () => {
    const t = await testApp();
    const res = await get(t, '/readyz');
    expect(res.statusCode).toBe(200);
  });

  it('readyz should answer 503 naming the redis check when Redis is unreachable', async () => {
    const port = await closedPort();
    const unreachable = createRedis(`redis://127.0.0.1:${port}`, {
      logger: testLogger(),
      name: 'feeds-api-unreachable',
      // Fail the command at once instead of retrying: the port is closed for good.
      options: { maxRetriesPerRequest: 0, retryStrategy: () => null },
    });
    onTestFinished(() => unreachable.disconnect());
    const t = await testApp({}, async () => void (await unreachable.ping()));
    const res = await get(t, '/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({
      status: 'not ready',
      checks: { redis: { status: 'failing' } },
    });
  });

  it('metrics should count requests by route template and status', async () => {
    const t = await testApp();
    await get(t, '/v1/trusts/ZZZ9/snapshot');
    await get(t, '/healthz');
    const operator = `Bearer ${await devToken({ role: 'operator' })}`;
    const res = await get(t, '/metrics', { authorization: operator });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain(
      'feeds_api_http_requests_total{method="GET",route="/v1/trusts/:code/snapshot",status="404"} 1',
    );
    expect(res.body).toContain('feeds_api_http_request_duration_seconds_bucket');
    expect(res.body).toContain('feeds_api_process_cpu_seconds_total');
  });

  it('unknown routes should answer a 404 problem', async () => {
    const t = await testApp();
    const res = await t.app.inject({ method: 'GET', url: '/v2/england/snapshot' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'urn:ics-pulse:problem:route-not-found',
      title: 'No such resource',
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      detail: 'There is no GET /v2/england/snapshot; see /docs for the API.',
      instance: '/v2/england/snapshot',
    });
  });
});

interface Parameter {
  name: string;
  description?: string;
  example?: unknown;
  examples?: unknown;
}

interface Media {
  schema: { description?: string; examples?: unknown[] };
  example?: unknown;
  examples?: unknown;
}

describe('openapi', () => {
  it('openapi document should pass the OpenAPI 3.1 schema validator', async () => {
    const t = await testApp();
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('openapi document should describe and exemplify every route and parameter', async () => {
    const t = await testApp();
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const components = doc.components.schemas as Record<string, Media['schema']>;
    const paths = Object.keys(doc.paths);
    for (const expected of [
      '/v1/organisations/regions',
      '/v1/organisations/icbs',
      '/v1/organisations/trusts',
      '/v1/england/snapshot',
      '/v1/regions/{code}/snapshot',
      '/v1/icbs/{code}/snapshot',
      '/v1/trusts/{code}/snapshot',
      '/v1/england/series',
      '/v1/trusts/{code}/series',
      '/v1/england/stream',
      '/v1/icbs/{code}/stream',
      '/v1/trusts/{code}/changes',
      '/healthz',
      '/readyz',
      '/metrics',
    ]) {
      expect(paths).toContain(expected);
    }
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.description, where).toBeTruthy();
        expect(op.summary, where).toBeTruthy();
        for (const p of (op.parameters ?? []) as Parameter[]) {
          expect(p.description, `${where} ${p.name}`).toBeTruthy();
          expect(p.example ?? p.examples, `${where} ${p.name}`).toBeDefined();
        }
        // @fastify/swagger lifts a response schema's examples onto its media type.
        const responses = op.responses as Record<string, { content?: Record<string, Media> }>;
        for (const [status, response] of Object.entries(responses)) {
          for (const media of Object.values(response.content ?? {})) {
            // a shared shape is a $ref to its component, which describes it
            const ref = (media.schema as { $ref?: string }).$ref;
            const schema = ref
              ? { ...components[ref.split('/').pop()!], ...media.schema }
              : media.schema;
            expect(schema.description, `${where} ${status}`).toBeTruthy();
            expect(
              media.example ?? media.examples ?? schema.examples,
              `${where} ${status}`,
            ).toBeDefined();
          }
        }
      }
    }
  });

  it('openapi document should give each shared shape once, as a component', async () => {
    const t = await testApp();
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const text = JSON.stringify(doc);
    // the marker is the route schemas' own, never the document's
    expect(text).not.toContain('x-component');
    const schemas = doc.components.schemas as Record<string, unknown>;
    for (const name of ['Split', 'Snapshot', 'Series', 'SeriesPoint', 'Problem', 'Trust'])
      expect(Object.keys(schemas), name).toContain(name);
    // an age split is defined twice (counts and rates), not once per figure
    expect(text.split('"properties":{"child"').length - 1).toBe(2);
    const json = (path: string, status = '200') =>
      doc.paths[path].get.responses[status].content['application/json'].schema;
    for (const kind of ['england', 'regions/{code}', 'icbs/{code}', 'trusts/{code}']) {
      expect(json(`/v1/${kind}/snapshot`).$ref).toBe('#/components/schemas/Snapshot');
      expect(json(`/v1/${kind}/series`).$ref).toBe('#/components/schemas/Series');
    }
    const problem = doc.paths['/v1/england/series'].get.responses['400'].content;
    expect(problem['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
    // every reference resolves
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((name) => !(name! in schemas))).toEqual([]);
  });

  it('docs should serve Swagger UI', async () => {
    const t = await testApp();
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('swagger');
  });

  it('openapi checker should reject a response that breaks the document', async () => {
    const t = await testApp();
    const checker = await t.checker();
    expect(
      checker.check({
        method: 'GET',
        url: '/healthz',
        statusCode: 200,
        contentType: 'application/json',
        body: '{"status":"fine"}',
      }),
    ).not.toEqual([]);
    expect(
      checker.check({
        method: 'GET',
        url: '/v1/trusts/RXN/snapshot',
        statusCode: 418,
        contentType: 'application/json',
        body: '{}',
      }),
    ).toEqual(['GET /v1/trusts/{code}/snapshot does not declare status 418']);
  });
});
