import { createLogger } from '@pulse/logging';
import { describe, expect, it } from 'vitest';
import { createRedis, defineScript } from '../src/index.js';

const logger = createLogger({ service: 'test', level: 'silent' });

// These need no server: nothing connects before connect() or a command. The scripts run
// against a real Redis in packages/testkit/test/redis-smoke.test.ts.
describe('@pulse/redis', () => {
  it('createRedis should not connect until asked to', async () => {
    const redis = createRedis('redis://127.0.0.1:1', { logger, name: 'unit' });
    expect(redis.status).toBe('wait');
    expect(redis.options).toMatchObject({
      connectionName: 'unit',
      maxRetriesPerRequest: 3,
      lazyConnect: true,
    });
    redis.disconnect();
  });

  it('defineScript should refuse a name that cannot be a command', () => {
    const redis = createRedis('redis://127.0.0.1:1', { logger, name: 'unit' });
    expect(() =>
      defineScript(redis, { name: 'bad name', lua: 'return 1', numberOfKeys: 0 }),
    ).toThrow(/invalid script name/);
    redis.disconnect();
  });

  it('defineScript should refuse a different script under a name already defined', () => {
    const redis = createRedis('redis://127.0.0.1:1', { logger, name: 'unit' });
    defineScript(redis, { name: 'one', lua: 'return 1', numberOfKeys: 0 });
    expect(() => defineScript(redis, { name: 'one', lua: 'return 2', numberOfKeys: 0 })).toThrow(
      /already/,
    );
    redis.disconnect();
  });
});
