import type { Logger } from '@pulse/logging';
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisSettings {
  /** Connection events (ready, reconnecting, errors) go here (component "redis"). */
  logger: Logger;
  /** Shown by CLIENT LIST on the server, so operators can tell the services' connections apart. */
  name: string;
  /** Any other ioredis option; wins over the defaults below. */
  options?: RedisOptions;
}

/**
 * An ioredis client for `url` (redis://[user:password@]host:port[/db]). It connects on
 * `await redis.connect()` (or the first command); `await redis.quit()` closes it.
 */
export function createRedis(url: string, { logger, name, options = {} }: RedisSettings): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    // Nothing connects at construction: `main` decides when, and sees the failure if it cannot.
    lazyConnect: true,
    // A command fails after 3 reconnect attempts (about a second) instead of 20: callers such as
    // the aggregator's batch loop retry whole batches, which is where a retry belongs.
    maxRetriesPerRequest: 3,
    // Commands issued in the same tick share one round trip (many feed readers at once); the
    // order of commands on the connection is unchanged.
    enableAutoPipelining: true,
    // 5 s to connect rather than 10 s, so a wrong REDIS_URL fails start-up quickly.
    connectTimeout: 5_000,
    ...options,
  });
  const log = logger.child({ component: 'redis', connection: name });
  // The URL may hold a password: log only where we connect.
  const where = `${redis.options.host ?? ''}:${redis.options.port ?? ''}`;
  redis.on('ready', () => log.info({ where }, 'redis ready'));
  redis.on('reconnecting', (delay: number) => log.warn({ where, delay }, 'redis reconnecting'));
  // Without a listener ioredis prints "Unhandled error event" to stderr on every failed attempt.
  redis.on('error', (err: Error) => log.warn({ err, where }, 'redis connection error'));
  return redis;
}
