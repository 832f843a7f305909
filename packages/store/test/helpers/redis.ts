// A real Redis for tests, with a random key prefix per suite cleaned up by SCAN + UNLINK of that
// prefix only (the server is shared: never flush). Replace with @pulse/testkit's redisPrefix().
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export interface TestRedis {
  redis: Redis;
  prefix: string;
  /** Unlinks every key under the prefix and closes the connection. */
  close(): Promise<void>;
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
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  const prefix = `pulse-test-store-${randomBytes(6).toString('hex')}`;
  const keys = () => scanKeys(redis, `${prefix}:*`);
  return {
    redis,
    prefix,
    keys,
    async close() {
      const found = await keys();
      for (let i = 0; i < found.length; i += 500) await redis.unlink(...found.slice(i, i + 500));
      redis.disconnect();
    },
  };
}
