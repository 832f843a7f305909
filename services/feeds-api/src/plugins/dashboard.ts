// The dashboard (@pulse/dashboard's built page) served at `/` by @fastify/static, so the page,
// the API and the push feed share one origin (no CORS, and the token never leaves it). Assets
// are named by content hash and cached for good; index.html is revalidated every time, so a new
// build is picked up at once. The build writes each text file brotli- and gzip-compressed beside
// itself (`.br`, `.gz`): those bytes are sent as they are (preCompressed), so a first visit costs
// no compression here; @fastify/compress leaves a reply that already has a content-encoding.
// helmet's default CSP fits the page as built (its script and styles are files of this origin,
// and it connects only to this origin).
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

export interface DashboardOptions {
  /** The built page's folder (`dashboardDir` of @pulse/dashboard). */
  root: string;
}

/** Content-hashed bundle names from the dashboard's build (`app-XXXXXXXX.js`, or its `.br`). */
const HASHED = /\/(app|styles)-[A-Z0-9]{8}\.(js|css)(\.br|\.gz)?$/;

export function dashboardCacheControl(path: string): string {
  if (HASHED.test(path)) return 'public, max-age=31536000, immutable';
  if (path.includes('/assets/')) return 'public, max-age=86400';
  return 'no-cache';
}

const dashboard: FastifyPluginAsync<DashboardOptions> = async (app, options) => {
  await app.register(fastifyStatic, {
    root: options.root,
    prefix: '/',
    // One route per built file, made at start: any other path stays the API's 404 problem.
    wildcard: false,
    // The compressed copies are served in place of their file (Accept-Encoding), never by name.
    preCompressed: true,
    globIgnore: ['**/*.br', '**/*.gz'],
    index: ['index.html'],
    cacheControl: false,
    etag: true,
    lastModified: true,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', dashboardCacheControl(path));
      // The bytes depend on Accept-Encoding (a precompressed copy or the file): caches must know.
      res.setHeader('vary', 'accept-encoding');
    },
    schemaHide: true,
  });
};

export default dashboard;
