// A real Redis per test from @pulse/testkit (the vitest global setup provides one, or REDIS_URL):
// the client and a private key prefix are released when the test finishes, every key under the
// prefix unlinked and nothing else (the server may be shared: never flush). Call in a test or a
// beforeEach hook.
import type { Redis } from '@pulse/redis';
import { redisPrefix, testRedis as connectTestRedis } from '@pulse/testkit';

export interface TestRedis {
  redis: Redis;
  /** The store's key prefix (the store adds the ':' before each partition's hash tag). */
  prefix: string;
  /** Every key under the prefix. */
  keys(): Promise<string[]>;
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

export async function testRedis(): Promise<TestRedis> {
  // testkit's prefix ends with ':', which the store writes itself.
  const prefix = redisPrefix('pulse-test-store').slice(0, -1);
  const redis = await connectTestRedis('store-test');
  return { redis, prefix, keys: () => scanKeys(redis, `${prefix}:*`) };
}
