// The API's answers to malformed, meaningless or hostile requests: every one a problem document,
// with security headers, and the HTTP caching and compression a client can rely on.
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '@pulse/kpi';
import { pointCount } from '../src/series.js';
import { AS_OF, get, iso, testApp } from './helpers.js';

const problemType = /^application\/problem\+json/;

/** A raw GET over a socket, for what inject cannot send (oversized headers). */
function rawGet(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, type: res.headers['content-type'] ?? '', body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('hardening', () => {
  it('a wrong method on a known path should be a 405 problem with Allow', async () => {
    const t = await testApp();
    const res = await t.app.inject({ method: 'POST', url: '/v1/trusts/RXN/snapshot' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.headers['content-type']).toMatch(problemType);
    expect(res.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', status: 405 });
    const unknown = await t.app.inject({ method: 'POST', url: '/v2/england/snapshot' });
    expect(unknown.statusCode).toBe(404);
  });

  it('an unknown query parameter should be a 400 naming it, not silently ignored', async () => {
    const t = await testApp();
    const res = await get(t, '/v1/england/snapshot?asof=2020-01-01');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      {
        in: 'query',
        name: 'asof',
        pointer: '/asof',
        detail: 'is not a parameter of this route (names are case-sensitive)',
      },
    ]);
    const listing = await get(t, '/v1/organisations/icbs?date=2026-04-01&x=1');
    expect(listing.statusCode).toBe(400);
  });

  it('a too long path parameter should be a 414 problem that does not echo the URL', async () => {
    const t = await testApp();
    const url = `/v1/trusts/${'A'.repeat(5_000)}/snapshot`;
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toMatch(problemType);
    expect(res.json().code).toBe('URI_TOO_LONG');
    expect(res.body.length).toBeLessThan(1_000);
  });

  it('a bad percent-encoding should be a 400 problem', async () => {
    const t = await testApp();
    const res = await t.app.inject({ method: 'GET', url: '/v1/trusts/%E0%A4%A/snapshot' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(problemType);
    expect(res.json().code).toBe('BAD_URL');
  });

  it('oversized headers should be a 431 problem on the socket', async () => {
    const t = await testApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const res = await rawGet(port, '/healthz', { 'x-big': 'a'.repeat(20_000) });
    expect(res.status).toBe(431);
    expect(res.type).toMatch(problemType);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'HEADERS_TOO_LARGE', status: 431 });
  });

  it('asOf in the future beyond the clock skew or before 1900 should be refused', async () => {
    const t = await testApp();
    const soon = await get(t, `/v1/england/snapshot?asOf=${iso(AS_OF + 60_000)}`);
    expect(soon.statusCode).toBe(200);
    for (const asOf of ['2030-01-01T00:00:00Z', iso(AS_OF + 6 * 60_000), '0001-01-01T00:00:00Z']) {
      const res = await get(t, `/v1/england/snapshot?asOf=${encodeURIComponent(asOf)}`);
      expect(res.statusCode, asOf).toBe(400);
      expect(res.json().errors[0], asOf).toMatchObject({ in: 'query', name: 'asOf' });
    }
  });

  it('series dates before 1900 or wholly before the retention should be 400, not 500', async () => {
    const t = await testApp();
    const old = await get(
      t,
      '/v1/england/series?metric=ed_attendances&interval=1d&from=0001-01-01&to=0001-01-03',
    );
    expect(old.statusCode).toBe(400);
    expect(old.json().errors[0]).toMatchObject({ name: 'from' });
    const day = new Date(AS_OF - 40 * DAY_MS).toISOString().slice(0, 10);
    const next = new Date(AS_OF - 39 * DAY_MS).toISOString().slice(0, 10);
    const gone = await get(
      t,
      `/v1/england/series?metric=ed_attendances&interval=15m&from=${day}&to=${next}`,
    );
    expect(gone.statusCode).toBe(400);
    expect(gone.json()).toMatchObject({ code: 'INVALID_RANGE' });
    expect(gone.json().detail).toContain('kept 35 days');
    const listing = await get(t, '/v1/organisations/icbs?date=1899-12-31');
    expect(listing.statusCode).toBe(400);
  });

  it('pointCount should count a 1,919-day range exactly, under the 2,000-point limit', () => {
    // London midnights in winter (GMT), so the range is whole London days.
    const from = Date.parse('2020-11-01T00:00:00Z');
    const to = from + 1_919 * DAY_MS;
    expect(pointCount('1d', from, to, 2_000)).toBe(1_919);
    expect(pointCount('1d', from, from + 2_100 * DAY_MS, 2_000)).toBe(Number.POSITIVE_INFINITY);
  });

  it('every response should carry the security headers, /docs and problems included', async () => {
    const t = await testApp();
    for (const url of ['/docs/', '/v1/england/snapshot', '/v2/nothing', '/openapi.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['strict-transport-security'], url).toBeDefined();
      expect(res.headers['content-security-policy'], url).toBeDefined();
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
    }
  });

  it('CORS should let a configured origin read the API with a token and see its headers', async () => {
    const origin = 'https://dashboard.example.org';
    const t = await testApp({ corsOrigins: [origin] });
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/england/snapshot',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Authorization/i);
    const res = await t.app.inject({ url: '/v1/england/snapshot', headers: { origin } });
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(String(res.headers['access-control-expose-headers'])).toContain('ETag');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const other = await t.app.inject({
      url: '/v1/england/snapshot',
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('openapi.json should be compressed for a client that accepts it', async () => {
    const t = await testApp();
    const plain = await t.app.inject({ url: '/openapi.json' });
    const res = await t.app.inject({ url: '/openapi.json', headers: { 'accept-encoding': 'br' } });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
  });

  it('series and organisations should carry an ETag and answer 304 while unchanged', async () => {
    const t = await testApp();
    const day = new Date(AS_OF).toISOString().slice(0, 10);
    const next = new Date(AS_OF + DAY_MS).toISOString().slice(0, 10);
    for (const url of [
      `/v1/england/series?metric=ed_attendances&interval=1h&from=${day}&to=${next}`,
      '/v1/organisations/trusts?date=2026-04-01',
    ]) {
      const first = await get(t, url);
      expect(first.headers['cache-control'], url).toBe('no-cache');
      expect(first.headers.vary, url).toMatch(/Authorization/);
      const etag = first.headers.etag as string;
      expect(etag, url).toMatch(/^W\/"/);
      const again = await get(t, url, { 'if-none-match': etag });
      expect(again.statusCode, url).toBe(304);
      expect(again.body, url).toBe('');
    }
    const url = `/v1/england/series?metric=ed_attendances&interval=1h&from=${day}&to=${next}`;
    const before = (await get(t, url)).headers.etag as string;
    await t.apply([{ at: AS_OF - 60_000, counters: [{ figure: 'ed_attendances' }] }]);
    const changed = await get(t, url, { 'if-none-match': before });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(before);
  });
});
