// The feeds-api environment, one schema. Read by main.ts only (never at import time); every
// default runs on one machine with no configuration.
import {
  commonEnv,
  ConfigError,
  host,
  integer,
  keyPrefix,
  loadConfig,
  port,
  topic,
  z,
} from '@pulse/config';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from './auth/tokens.js';
import { ACTIVITY_PARTITIONS, ACTIVITY_TOPIC } from '@pulse/topology';
import type { StreamSettings } from './stream/plugin.js';

/** CORS_ORIGINS: comma list of allowed browser origins, `*` for any; empty = no CORS headers. */
const corsOrigins = z
  .string()
  .default('')
  .transform((raw) =>
    raw
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(/^(\*|https?:\/\/[^\s/,]+)$/, 'each origin must be * or http(s)://host[:port]'),
    ),
  );

export const feedsApiEnv = {
  /** REDIS_URL (default redis://127.0.0.1:6379; never logged). */
  REDIS_URL: commonEnv.REDIS_URL,
  /** LOG_LEVEL: pino level (default info). */
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  /** Port to listen on (0 = any free port). */
  PORT: port(8080),
  /** Interface to bind: loopback by default so a laptop does not expose it; containers set 0.0.0.0. */
  HOST: host(),
  /** Prefix of every Redis key (default pulse); must equal the aggregator's. */
  KEY_PREFIX: keyPrefix(),
  /** Topic of activity events: the aggregator tags its keys with this name. */
  ACTIVITY_TOPIC: topic(ACTIVITY_TOPIC),
  /**
   * Partition count of ACTIVITY_TOPIC: the reader merges partitions 0..N-1, so it must match.
   * Default @pulse/topology's ACTIVITY_PARTITIONS, as every tool creates the topic (fewer misses
   * figures: start-up and /readyz report it when partition N has an offset stored, src/readiness.ts).
   */
  TOPIC_PARTITIONS: integer(ACTIVITY_PARTITIONS, 1, 10_000),
  /**
   * How long a snapshot read "now" is reused for the same scope, in ms; requests within it share
   * one read (0 turns it off). Bounds how stale a snapshot can be; requests with `asOf` are not cached.
   */
  SNAPSHOT_CACHE_MS: integer(1_000, 0, 60_000),
  /** Push feed: at most one `update` per scope per this many ms (0 = one per change-log read). */
  STREAM_COALESCE_MS: integer(1_000, 0, 60_000),
  /** Push feed: a `heartbeat` this often, in ms (the contract is at least every 15 s). */
  STREAM_HEARTBEAT_MS: integer(15_000, 100, 15_000),
  /** Push feed: how often the one change-log reader starts a read once caught up, in ms. */
  STREAM_POLL_MS: integer(50, 10, 5_000),
  /** Push feed: streams open at once on this process; more get 503. */
  STREAM_MAX_CONNECTIONS: integer(20_000, 1, 1_000_000),
  /** Push feed: streams open at once per client (token subject, else address), over every replica; more get 429. */
  STREAM_MAX_PER_CLIENT: integer(20, 1, 1_000_000),
  /** Push feed: a stream's slot lease in Redis, in ms; renewed every third of it while open. */
  STREAM_LEASE_MS: integer(30_000, 3_000, 600_000),
  /** Public tier: a "now" snapshot below national level is rebuilt at most this often, in ms. */
  PUBLIC_TICK_MS: integer(60_000, 1_000, 3_600_000),
  /** Public tier: most points of a series below national level. */
  PUBLIC_SERIES_MAX_POINTS: integer(200, 1, 2_000),
  /** Push feed: a client with more bytes than this waiting to be sent is disconnected. */
  STREAM_MAX_BUFFER_BYTES: integer(1024 * 1024, 16 * 1024, 1024 * 1024 * 1024),
  /** Push feed: a stream is ended (with `disconnect`) after about this long, in ms. */
  STREAM_MAX_LIFETIME_MS: integer(60 * 60_000, 1_000, 7 * 24 * 60 * 60_000),
  /** Push feed: the reconnection delay suggested to clients (`retry:`), in ms. */
  STREAM_RETRY_MS: integer(2_000, 100, 60_000),
  /** Allowed CORS origins. */
  CORS_ORIGINS: corsOrigins,
  /** Public base URL put in the OpenAPI `servers` list; unset = the relative server `/`. */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** NODE_ENV=production makes AUTH_MODE default to production. */
  NODE_ENV: z.string().optional(),
  /**
   * production: keys must be configured (AUTH_JWKS_FILE or AUTH_JWKS_URL) and the development key
   * is refused; development: with no keys configured, tokens signed by the development key
   * (`npm run token`) are accepted. Default production when NODE_ENV=production.
   */
  AUTH_MODE: z.enum(['production', 'development']).optional(),
  /** A JSON Web Key Set file (public keys) that signs the accepted tokens. */
  AUTH_JWKS_FILE: z.string().optional(),
  /** A JWKS URL (https, or http on loopback) serving the public keys, fetched and cached. */
  AUTH_JWKS_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine(
      (url) =>
        url.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url),
      'must be https (http only on loopback)',
    )
    .optional(),
  /** Requests per RATE_LIMIT_WINDOW_MS from one address without a token (counted in Redis). */
  RATE_LIMIT_PUBLIC: integer(600, 1, 10_000_000),
  /** Requests per RATE_LIMIT_WINDOW_MS for one token subject. */
  RATE_LIMIT_TOKEN: integer(6_000, 1, 10_000_000),
  /** The rate limits' window, in ms. */
  RATE_LIMIT_WINDOW_MS: integer(60_000, 1_000, 3_600_000),
  /** The `iss` claim tokens must carry. */
  AUTH_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
  /** The `aud` claim tokens must carry. */
  AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
};

/** Settings in the units the code uses. */
export interface FeedsApiConfig {
  redisUrl: string;
  logLevel: string;
  port: number;
  host: string;
  keyPrefix: string;
  activityTopic: string;
  topicPartitions: number;
  snapshotCacheMs: number;
  corsOrigins: string[];
  publicUrl: string | undefined;
  stream: Required<StreamSettings>;
  publicTier: { tickMs: number; maxSeriesPoints: number };
  rateLimits: { publicMax: number; tokenMax: number; windowMs: number };
  auth: {
    production: boolean;
    jwksFile: string | undefined;
    jwksUrl: string | undefined;
    issuer: string;
    audience: string;
  };
}

/** Validates the environment (one message per bad variable) and converts it to FeedsApiConfig. */
export function loadFeedsApiConfig(env: NodeJS.ProcessEnv = process.env): FeedsApiConfig {
  const e = loadConfig(feedsApiEnv, env);
  const production =
    (e.AUTH_MODE ?? (e.NODE_ENV === 'production' ? 'production' : 'development')) === 'production';
  if (e.AUTH_JWKS_FILE !== undefined && e.AUTH_JWKS_URL !== undefined) {
    throw new ConfigError(['AUTH_JWKS_FILE and AUTH_JWKS_URL: set one, not both']);
  }
  if (production && e.AUTH_JWKS_FILE === undefined && e.AUTH_JWKS_URL === undefined) {
    throw new ConfigError([
      'AUTH_JWKS_FILE or AUTH_JWKS_URL: production mode (AUTH_MODE or NODE_ENV=production) needs ' +
        'the keys that sign tokens; the development key is never accepted there',
    ]);
  }
  return {
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: e.HOST,
    keyPrefix: e.KEY_PREFIX,
    activityTopic: e.ACTIVITY_TOPIC,
    topicPartitions: e.TOPIC_PARTITIONS,
    snapshotCacheMs: e.SNAPSHOT_CACHE_MS,
    corsOrigins: e.CORS_ORIGINS,
    publicUrl: e.PUBLIC_URL,
    stream: {
      coalesceMs: e.STREAM_COALESCE_MS,
      heartbeatMs: e.STREAM_HEARTBEAT_MS,
      pollMs: e.STREAM_POLL_MS,
      maxConnections: e.STREAM_MAX_CONNECTIONS,
      maxPerClient: e.STREAM_MAX_PER_CLIENT,
      leaseMs: e.STREAM_LEASE_MS,
      maxBufferBytes: e.STREAM_MAX_BUFFER_BYTES,
      maxLifetimeMs: e.STREAM_MAX_LIFETIME_MS,
      retryMs: e.STREAM_RETRY_MS,
      pageLimit: 1_000,
    },
    publicTier: { tickMs: e.PUBLIC_TICK_MS, maxSeriesPoints: e.PUBLIC_SERIES_MAX_POINTS },
    rateLimits: {
      publicMax: e.RATE_LIMIT_PUBLIC,
      tokenMax: e.RATE_LIMIT_TOKEN,
      windowMs: e.RATE_LIMIT_WINDOW_MS,
    },
    auth: {
      production,
      jwksFile: e.AUTH_JWKS_FILE,
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
    },
  };
}
