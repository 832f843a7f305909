import { defineScript } from '@pulse/redis';
import { describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, redisPrefix, testRedis } from '../src/index.js';

// Adds to a counter and records the caller's id in a set, atomically; returns the new total.
const addOnce = {
  name: 'pulseTestAddOnce',
  numberOfKeys: 2,
  lua: `
    if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then
      return tonumber(redis.call('GET', KEYS[1]) or '0')
    end
    return redis.call('INCRBY', KEYS[1], ARGV[1])
  `,
};

describe('ioredis against the real Redis', () => {
  it('defineScript should load and run a Lua script under a unique prefix', async () => {
    const prefix = redisPrefix('lua');
    const redis = await testRedis();
    const run = defineScript(redis, addOnce);
    const keys = [`${prefix}total`, `${prefix}seen`];

    expect(await run(keys, [5, 'event-a'])).toBe(5);
    expect(await run(keys, [5, 'event-a'])).toBe(5);
    expect(await run(keys, [2, 'event-b'])).toBe(7);
    expect(await redis.smembers(`${prefix}seen`)).toEqual(
      expect.arrayContaining(['event-a', 'event-b']),
    );
  });

  it('deleteKeysWithPrefix should delete the keys under its prefix and no others', async () => {
    const mine = redisPrefix('mine');
    const other = redisPrefix('other');
    const redis = await testRedis();
    await redis.mset(`${mine}a`, '1', `${mine}b`, '2', `${other}a`, '3');

    expect(await deleteKeysWithPrefix(redis, mine)).toBe(2);
    expect(await redis.exists(`${mine}a`, `${mine}b`)).toBe(0);
    expect(await redis.get(`${other}a`)).toBe('3');
  });
});
