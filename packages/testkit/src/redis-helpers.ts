import { createRedis, type Redis } from '@pulse/redis';
import { releaseAfterTest, uniqueName } from './cleanup.js';
import { testInfra, testLogger } from './test-infra.js';

/** A connected ioredis client for the test Redis, closed when the test finishes. */
export async function testRedis(name = 'test'): Promise<Redis> {
  const redis = createRedis(testInfra().redisUrl, { logger: testLogger(), name });
  releaseAfterTest('testRedis', async () => void (await redis.quit()));
  await redis.connect();
  return redis;
}

/** Deletes every key that starts with `prefix` (SCAN + UNLINK, never FLUSHDB). Returns how many. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  if (/[*?[\]\\]/.test(prefix)) throw new Error(`prefix ${prefix} has glob characters`);
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

/**
 * A key prefix no other test uses (`<label>:<hex>:`). When the test finishes, every key under
 * it is deleted and nothing else: the Redis may be shared.
 */
export function redisPrefix(label = 'test'): string {
  const prefix = `${uniqueName(label)}:`;
  releaseAfterTest('redisPrefix', async () => {
    const redis = createRedis(testInfra().redisUrl, {
      logger: testLogger(),
      name: 'testkit-cleanup',
    });
    try {
      await redis.connect();
      await deleteKeysWithPrefix(redis, prefix);
    } finally {
      await redis.quit();
    }
  });
  return prefix;
}
