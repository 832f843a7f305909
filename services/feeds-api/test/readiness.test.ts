// The partition-count check of /readyz against the real Redis of the test run: an offset stored
// for partition TOPIC_PARTITIONS (as the aggregator stores one per partition it applies) means
// the topic has more partitions than the API reads.
import { partitionKey } from '@pulse/store';
import { createRedis, type Redis } from '@pulse/redis';
import { testLogger, testRedis } from '@pulse/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  beyondLastPartitionKey,
  partitionCountProblem,
  storeReadiness,
  trustPlacementProblem,
  type PartitionLayout,
} from '../src/readiness.js';
import { devToken, get, PARTITIONS, testApp, TOPIC, type TestApp } from './helpers.js';

/** A test app whose /readyz runs storeReadiness on its own Redis and key prefix. */
async function appWithStoreReadiness(
  partitionOf?: (ods: string) => number,
  changeLogRedis?: Redis,
): Promise<{ t: TestApp; layout: PartitionLayout }> {
  let checks: ReturnType<typeof storeReadiness> = [];
  const t = await testApp({}, () => Promise.all(checks.map((c) => c.check())));
  const layout = { prefix: t.prefix, topic: TOPIC, partitions: PARTITIONS };
  checks = storeReadiness(t.redis, layout, partitionOf, changeLogRedis);
  return { t, layout };
}

describe('readiness', () => {
  it('beyondLastPartitionKey should be the offset key of partition TOPIC_PARTITIONS', () => {
    expect(beyondLastPartitionKey({ prefix: 'pulse', topic: 'activity', partitions: 3 })).toBe(
      'pulse:{activity:3}:offset',
    );
  });

  it('readyz should answer ok when no partition beyond TOPIC_PARTITIONS has an offset', async () => {
    const { t, layout } = await appWithStoreReadiness();
    // Figures in the last partition read (PARTITIONS - 1) are fine.
    await t.redis.set(`${partitionKey(t.prefix, TOPIC, PARTITIONS - 1)}:offset`, '10');
    expect(await partitionCountProblem(t.redis, layout)).toBeUndefined();
    const res = await get(t, '/readyz');
    expect(res.statusCode).toBe(200);
  });

  it('readyz should answer 503 naming the problem when the topic has more partitions than TOPIC_PARTITIONS', async () => {
    const { t, layout } = await appWithStoreReadiness();
    await t.redis.set(beyondLastPartitionKey(layout), '42');
    const problem = await partitionCountProblem(t.redis, layout);
    expect(problem).toMatch(/^TOPIC_PARTITIONS \(2\) is smaller than the partition count of topic/);
    // The detail is for operators; the public sees the check's status alone.
    const operator = `Bearer ${await devToken({ role: 'operator' })}`;
    const res = await get(t, '/readyz', { authorization: operator });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'not ready',
      checks: { redis: { status: 'failing', detail: problem } },
    });
  });

  it('readyz should answer 503 when the change log’s own Redis connection does not answer', async () => {
    const follower = await testRedis('feeds-api-follower');
    const { t } = await appWithStoreReadiness(undefined, follower);
    expect((await get(t, '/readyz')).statusCode).toBe(200);
    // Nothing listens on port 1: the connection the follower would read through is down.
    const unreachable = createRedis('redis://127.0.0.1:1', {
      logger: testLogger(),
      name: 'feeds-api-follower',
    });
    onTestFinished(() => unreachable.disconnect());
    const down = await appWithStoreReadiness(undefined, unreachable);
    expect((await get(down.t, '/readyz')).statusCode).toBe(503);
  });

  it('readyz should not flag partitions of another topic or key prefix', async () => {
    const { t, layout } = await appWithStoreReadiness();
    await t.redis.set(`${partitionKey(t.prefix, 'other.topic.v1', PARTITIONS)}:offset`, '1');
    // Under the test's prefix, so the prefix's clean-up removes it.
    await t.redis.set(`${partitionKey(`${t.prefix}:other`, TOPIC, PARTITIONS)}:offset`, '1');
    expect(await partitionCountProblem(t.redis, layout)).toBeUndefined();
    expect((await get(t, '/readyz')).statusCode).toBe(200);
  });

  it('readyz should answer 503 when a trust was applied on another partition than it is read from', async () => {
    // The partitioner the reader would use: RAJ on partition 0, every other trust on 1.
    const partitionOf = (ods: string) => (ods === 'RAJ' ? 0 : 1);
    const { t, layout } = await appWithStoreReadiness(partitionOf);
    const fresh = (p: number) => `${partitionKey(t.prefix, TOPIC, p)}:fresh`;
    // Where the partitioner puts them; scope and family fields name no trust's partition.
    await t.redis.hset(fresh(0), { 't:RAJ': '1', 't:RAJ:ed': '1', 'i:QH8': '1', e: '1' });
    await t.redis.hset(fresh(1), { 't:RXN': '1' });
    expect(await trustPlacementProblem(t.redis, layout, partitionOf)).toBeUndefined();
    expect((await get(t, '/readyz')).statusCode).toBe(200);
    // A topic with fewer partitions than TOPIC_PARTITIONS puts RAJ's records elsewhere.
    await t.redis.hset(fresh(1), { 't:RAJ': '2' });
    const problem = await trustPlacementProblem(t.redis, layout, partitionOf);
    expect(problem).toMatch(
      /^TOPIC_PARTITIONS \(2\) does not match topic .*: the records of trust RAJ were applied on partition 1, but 2 partitions put them on 0/,
    );
    expect((await get(t, '/readyz')).statusCode).toBe(503);
  });
});
