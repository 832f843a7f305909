import { describe, expect, it } from 'vitest';
import { redisPrefix, testKafka, testRedis, uniqueTopic } from '../src/index.js';

// The second test of each pair checks what the first left behind, so they must run in order
// (tests in a file run sequentially).
describe('per-test resources', () => {
  let topic = '';
  let prefix = '';

  it('uniqueTopic should create a topic with the partitions asked for', async () => {
    topic = await uniqueTopic({ partitions: 4, label: 'cleanup' });
    const admin = testKafka().admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(metadata.topics[0]?.partitions).toHaveLength(4);
  });

  it('uniqueTopic should have deleted its topic when the previous test finished', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topic).not.toBe('');
    expect(topics).not.toContain(topic);
  });

  it('redisPrefix should give a prefix whose keys the test may write', async () => {
    prefix = redisPrefix('cleanup');
    const redis = await testRedis();
    await redis.set(`${prefix}k`, 'v');
    expect(await redis.get(`${prefix}k`)).toBe('v');
  });

  it('redisPrefix should have deleted its keys when the previous test finished', async () => {
    const redis = await testRedis();
    expect(prefix).not.toBe('');
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });
});
