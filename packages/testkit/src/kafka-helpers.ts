import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka, createProducer, ensureTopics } from '@pulse/kafka';
import type { Admin, Consumer, ConsumerConfig, Kafka, Producer, ProducerConfig } from 'kafkajs';
import { releaseAfterTest, uniqueName } from './cleanup.js';
import { testInfra, testLogger } from './test-infra.js';

/** A kafkajs client for the test broker (connects nothing by itself). */
export function testKafka(clientId = 'test'): Kafka {
  return createKafka({ brokers: testInfra().kafkaBrokers, clientId, logger: testLogger() });
}

async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka('testkit-admin').admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

export interface UniqueTopicOptions {
  /** Partitions of the new topic; 1 by default. */
  partitions?: number;
  /** Start of the name, e.g. the unit under test; 'test' by default. */
  label?: string;
}

/**
 * Topic configs of every test topic: keep every record, whatever its timestamp. Tests replay past
 * days with each record's CreateTime set to its simulated time of receipt (the aggregator judges
 * lateness by it), and the broker's default retention (7 days, by record timestamp) would delete
 * a replayed day's records before the aggregator read them.
 */
export const REPLAY_TOPIC_CONFIG: readonly { name: string; value: string }[] = [
  { name: 'retention.ms', value: '-1' },
];

/**
 * Creates a topic no other test uses, with every partition led (so a producer can send to it at
 * once), and deletes it when the test finishes. Resolves with its name.
 *
 * Through `ensureTopics`, which waits for the leaders itself: kafkajs's `waitForLeaders` gives up
 * on UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition"), which a fresh
 * broker answers for a moment after creating a topic (tulios/kafkajs#815; about 3 runs in 8 of
 * the feeds API's end-to-end tests failed on it).
 */
export async function uniqueTopic({
  partitions = 1,
  label = 'test',
}: UniqueTopicOptions = {}): Promise<string> {
  const topic = uniqueName(label);
  let requested = false;
  // Deleted if the broker has it, even when the wait for its leaders failed.
  releaseAfterTest('uniqueTopic', async () => {
    if (!requested) return;
    await withAdmin(async (admin) => {
      if (!(await admin.listTopics()).includes(topic)) return;
      await admin.deleteTopics({ topics: [topic] });
      // A loaded broker can list a deleted topic for a moment more: wait until it does not, so
      // the next test (or a check) never sees it. Bounded; a topic still listed is only reported.
      for (let delay = 50; (await admin.listTopics()).includes(topic); delay *= 2) {
        if (delay > 3_200) return testLogger().warn({ topic }, 'topic still listed after delete');
        await sleep(delay);
      }
    });
  });
  const { created } = await withAdmin((admin) => {
    requested = true;
    return ensureTopics(admin, [
      { topic, numPartitions: partitions, configEntries: [...REPLAY_TOPIC_CONFIG] },
    ]);
  });
  if (created.length === 0) throw new Error(`topic ${topic} already existed`);
  return topic;
}

/** A consumer group id no other test uses; the group is deleted when the test finishes. */
export function uniqueGroupId(label = 'group'): string {
  const groupId = uniqueName(label);
  releaseAfterTest('uniqueGroupId', () =>
    withAdmin(async (admin) => {
      // A group exists only once a consumer has joined it.
      const { groups } = await admin.listGroups();
      if (groups.some((group) => group.groupId === groupId)) await admin.deleteGroups([groupId]);
    }),
  );
  return groupId;
}

/** A connected idempotent producer (as services use), disconnected when the test finishes. */
export async function testProducer(overrides: ProducerConfig = {}): Promise<Producer> {
  const producer = createProducer(testKafka('test-producer'), overrides);
  releaseAfterTest('testProducer', () => producer.disconnect());
  await producer.connect();
  return producer;
}

/** A connected consumer, disconnected when the test finishes (or earlier, by the test). */
export async function testConsumer(config: ConsumerConfig): Promise<Consumer> {
  const consumer = testKafka('test-consumer').consumer(config);
  releaseAfterTest('testConsumer', () => consumer.disconnect());
  await consumer.connect();
  return consumer;
}
