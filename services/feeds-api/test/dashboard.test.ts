// The dashboard's static serving at `/`: index.html revalidated, hashed bundles cached for good,
// helmet's headers on both, and every other path still the API's own 404 problem.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testApp } from './helpers.js';

async function builtPage(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-dashboard-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'assets', 'images'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(dir, 'app-ABCD1234.js'), 'console.log(1)');
  // The build writes a brotli copy beside each text file (packages/dashboard/build.mjs).
  await writeFile(join(dir, 'app-ABCD1234.js.br'), brotliCompressSync('console.log(1)'));
  await writeFile(join(dir, 'assets', 'images', 'icon.svg'), '<svg/>');
  return dir;
}

describe('dashboard at /', () => {
  it('should serve the page never cached, its hashed bundle immutable, with helmet’s CSP', async () => {
    const t = await testApp({ dashboardDir: await builtPage() });
    const page = await t.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const script = await t.app.inject({ method: 'GET', url: '/app-ABCD1234.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const image = await t.app.inject({ method: 'GET', url: '/assets/images/icon.svg' });
    expect(image.headers['cache-control']).toBe('public, max-age=86400');
  });

  it('should send a bundle’s precompressed copy as it is, and never serve the copy by name', async () => {
    const t = await testApp({ dashboardDir: await builtPage() });
    const script = await t.app.inject({
      method: 'GET',
      url: '/app-ABCD1234.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-encoding']).toBe('br');
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['vary']).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(script.rawPayload).toString()).toBe('console.log(1)');
    // Without compression: the file itself.
    const plain = await t.app.inject({
      method: 'GET',
      url: '/app-ABCD1234.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log(1)');
    const copy = await t.app.inject({ method: 'GET', url: '/app-ABCD1234.js.br' });
    expect(copy.statusCode).toBe(404);
  });

  it('should leave unknown paths and the API to the API', async () => {
    const t = await testApp({ dashboardDir: await builtPage() });
    const missing = await t.app.inject({ method: 'GET', url: '/nothing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const api = await t.app.inject({ method: 'GET', url: '/v1/organisations/regions' });
    expect(api.statusCode).toBe(200);
  });

  it('without a built page / should be a 404 problem', async () => {
    const t = await testApp();
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
  });
});
