import { describe, expect, it } from 'vitest';
import {
  redisPrefix,
  storedOffsets,
  testKafka,
  testProducer,
  testRedis,
  uniqueTopic,
  waitForStoredOffsets,
} from '../src/index.js';

describe('waitForStoredOffsets', () => {
  it('waitForStoredOffsets should resolve once every partition stores its end offset', async () => {
    const topic = await uniqueTopic({ partitions: 2, label: 'stored-offsets' });
    const producer = await testProducer();
    await producer.send({
      topic,
      messages: [
        { partition: 0, value: 'a' },
        { partition: 0, value: 'b' },
        { partition: 1, value: 'c' },
      ],
    });
    const redis = await testRedis();
    const prefix = redisPrefix('stored-offsets');
    const offsetKey = (p: number) => `${prefix}{${topic}:${p}}:offset`;
    await redis.set(offsetKey(0), '2');
    let settled = false;
    const wait = waitForStoredOffsets({ kafka: testKafka(), topic, redis, offsetKey, pollMs: 10 });
    void wait.finally(() => (settled = true));
    // Partition 1 has stored nothing yet: read what the wait reads, then let it finish.
    expect(await storedOffsets(redis, [0, 1], offsetKey)).toEqual(
      new Map([
        [0, 2n],
        [1, 0n],
      ]),
    );
    expect(settled).toBe(false);
    await redis.set(offsetKey(1), '1');
    expect(await wait).toEqual(
      new Map([
        [0, 2n],
        [1, 1n],
      ]),
    );
  });

  it('waitForStoredOffsets should reject naming the partitions behind when it gives up', async () => {
    const topic = await uniqueTopic({ partitions: 1, label: 'stored-offsets' });
    const producer = await testProducer();
    await producer.send({ topic, messages: [{ value: 'a' }] });
    const redis = await testRedis();
    const prefix = redisPrefix('stored-offsets');
    await expect(
      waitForStoredOffsets({
        kafka: testKafka(),
        topic,
        redis,
        offsetKey: (p) => `${prefix}{${topic}:${p}}:offset`,
        timeoutMs: 0,
      }),
    ).rejects.toThrow(/\(0: 0 of 1\)/);
  });
});
