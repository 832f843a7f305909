// ETag and Cache-Control for routes that declare `config.cacheControl`: the weak tag is a hash of
// the serialised body, so If-None-Match gets a 304 while the answer is unchanged. A route that
// sets its own ETag (snapshots, whose bodies carry moving ages) keeps it. Registered before
// @fastify/compress, so the hash covers the JSON, not its compressed bytes.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { etagMatches } from '../etag.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Cache-Control of a 200; with it the route also gets an ETag over its body, and 304s. */
    cacheControl?: string;
  }
}

const NOT_MODIFIED = { description: 'Not modified: the ETag still matches.', type: 'null' };

/** A weak ETag over a serialised body. */
export function bodyEtag(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

const httpCache: FastifyPluginAsync = async (app) => {
  app.addHook('onRoute', (route) => {
    if (route.config?.cacheControl === undefined || !route.schema?.response) return;
    const responses = route.schema.response as Record<string, unknown>;
    responses[304] ??= NOT_MODIFIED;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const cacheControl = request.routeOptions.config.cacheControl;
    const status = reply.statusCode;
    if (cacheControl === undefined || (status !== 200 && status !== 304)) return payload;
    reply.header('cache-control', cacheControl);
    // The body depends on the token's tier: a shared cache must key on it (and on whatever else
    // the route varies on, e.g. Accept).
    const vary = reply.getHeader('vary');
    reply.header('vary', vary === undefined ? 'Authorization' : `${String(vary)}, Authorization`);
    if (status !== 200 || typeof payload !== 'string') return payload;
    let etag = reply.getHeader('etag') as string | undefined;
    if (etag === undefined) {
      etag = bodyEtag(payload);
      reply.header('etag', etag);
    }
    if (!etagMatches(request.headers['if-none-match'], etag)) return payload;
    reply.code(304);
    return '';
  });
};

export default fp(httpCache, { name: 'pulse-http-cache', fastify: '5.x' });
