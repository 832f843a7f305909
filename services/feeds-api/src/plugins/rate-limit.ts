// Per-client rate limits kept in Redis (@fastify/rate-limit), so every replica counts the same
// client together: a token's subject, or the address of a request without one. Over the limit a
// request is a 429 problem with Retry-After. Health probes are not counted.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from '@pulse/redis';
import { ApiError } from '../errors.js';

export interface RateLimits {
  /** Requests per window for a client without a token (by address). */
  publicMax: number;
  /** Requests per window for a token's subject. */
  tokenMax: number;
  /** The window, in ms. */
  windowMs: number;
}

export interface RateLimitOptions {
  limits: RateLimits;
  redis: Redis;
  /** Key prefix of the counters (`<KEY_PREFIX>:ratelimit:`). */
  prefix: string;
}

const PROBES = new Set(['/healthz', '/readyz']);

/** Who is counted: a token's subject, else the client address. */
export function clientOf(request: FastifyRequest): string {
  return request.principal?.kind === 'token'
    ? `sub:${request.principal.subject}`
    : `ip:${request.ip}`;
}

const limiter: FastifyPluginAsync<RateLimitOptions> = async (app, { limits, redis, prefix }) => {
  await app.register(rateLimit, {
    global: true,
    redis,
    nameSpace: `${prefix}:ratelimit:`,
    timeWindow: limits.windowMs,
    max: (request) => (request.principal?.kind === 'token' ? limits.tokenMax : limits.publicMax),
    keyGenerator: clientOf,
    allowList: (request) => PROBES.has(request.routeOptions.url ?? ''),
    // Redis unreachable: serve rather than refuse everyone (/readyz reports Redis anyway).
    skipOnError: true,
    addHeadersOnExceeding: {
      'x-ratelimit-limit': true,
      'x-ratelimit-remaining': true,
      'x-ratelimit-reset': true,
    },
    addHeaders: {
      'x-ratelimit-limit': true,
      'x-ratelimit-remaining': true,
      'x-ratelimit-reset': true,
      'retry-after': true,
    },
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        'RATE_LIMITED',
        `At most ${context.max} requests per ${context.after} for this client; retry after ` +
          `${Math.ceil(context.ttl / 1000)} s.`,
      ),
  });
};

export default fp(limiter, {
  name: 'pulse-rate-limit',
  fastify: '5.x',
  dependencies: ['pulse-auth'],
});
